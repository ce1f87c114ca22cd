import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderApiReference } from './api-reference';
import { ROUTE_AREAS, ROUTE_LIST } from './route-table';

const FILE = path.join(__dirname, '..', '..', 'docs', 'api.md');

describe('gateway/docs/api.md', () => {
  it('is what the route table gives (regenerate it with `npm run api-docs`)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(renderApiReference(ROUTE_AREAS));
  });

  it('lists every operation of the route table once, by method and path', () => {
    const text = renderApiReference(ROUTE_AREAS);
    for (const route of ROUTE_LIST) {
      const heading = `### ${route.method.toUpperCase()} \`${route.path.replace(/:(\w+)/g, '{$1}')}\` (\`${route.id}\`)`;
      expect([route.id, text.split(heading).length - 1]).toEqual([route.id, 1]);
    }
  });

  it('names the roles, the data shape and the own error codes of an operation', () => {
    const text = renderApiReference(ROUTE_AREAS);
    const claim = text.slice(text.indexOf('(`claimOrder`)'), text.indexOf('(`releaseClaim`)'));
    expect(claim).toContain('- who: pharmacy_operator (or X-API-Key)');
    expect(claim).toContain('- answer: 201 / 200 `Claim`');
    expect(claim).toContain('409 `4003`');
  });
});
