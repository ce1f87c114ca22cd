import { Controller, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { buildOpenApiDocument, type OpenApiDocument } from '../routes/openapi.document';
import { Route } from '../routes/route';
import { ROUTE_LIST, ROUTES } from '../routes/route-table';

/** Where Swagger UI's files (swagger-ui-dist, served from node_modules) are mounted. */
export const DOCS_ASSETS = '/docs/assets';

/** Served as a file, not inline: helmet's Content-Security-Policy forbids inline scripts. */
export const SWAGGER_INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '${ROUTES.openApiDocument.path}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>PrescriptChain API</title>
    <link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_ASSETS}/swagger-ui-standalone-preset.js"></script>
    <script src="${DOCS_ASSETS}/swagger-initializer.js"></script>
  </body>
</html>
`;

@Controller()
export class DocsController {
  private document?: OpenApiDocument;

  @Route(ROUTES.docsUi)
  ui(@Res({ passthrough: true }) res: ServerResponse): string {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    return PAGE;
  }

  @Route(ROUTES.openApiDocument)
  openApi(): OpenApiDocument {
    return (this.document ??= buildOpenApiDocument(ROUTE_LIST));
  }
}
