"""The Gleditsch-Ward state system (the panel's spine) and the crosswalk from every source's identifiers."""

from coupwatch.states.crosswalk import Crosswalk, MappingReport
from coupwatch.states.system import StateSystem

__all__ = ["Crosswalk", "MappingReport", "StateSystem"]
