import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadFixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('an unknown macro', () => {
  it('fails the parse with the file, the line, the call and the closest macro', async () => {
    const fx = writeFixture({
      'macros/money.sql': '{% macro cents_to_dollars(column) %}({{ column }} / 100){% endmacro %}',
      'models/orders.sql': "select 1 as id,\n  {{ cents_to_dolars('amount') }} as amount",
    });
    fixtures.push(fx);
    const error = await loadFixture(fx.dir).then(
      () => undefined,
      (e: unknown) => e as { code: string; file: string; line: number; hint: string },
    );
    expect(error).toMatchObject({ code: 'SSA-JINJA-001', file: 'models/orders.sql', line: 2 });
    expect(error?.hint).toBe(
      "'cents_to_dolars' is not a macro this layer can see; did you mean 'cents_to_dollars'?",
    );
  });
});
