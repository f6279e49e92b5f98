// Starts Swagger UI on the app's own OpenAPI document; nothing is fetched from outside this server.
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: holder.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    validatorUrl: null,
    tryItOutEnabled: true,
    defaultModelsExpandDepth: 0
  });
})();
