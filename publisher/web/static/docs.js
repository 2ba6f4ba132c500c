/* Swagger UI from the installed swagger-ui-dist package, on this server's spec. */
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({url: node.getAttribute("data-spec"), dom_id: "#swagger-ui",
                               deepLinking: true, validatorUrl: null});
})();
