import { describe, expect, it } from 'vitest';
import { renderYamlValue } from '../src/project/yaml-value-renderer.js';

/**
 * `{{ env_var('X', 'd') }}` (optionally `| int`) alone in a connection setting is answered without
 * the template engine; it must give what the engine gives. The same call wrapped in parentheses
 * is not recognised, so the engine renders it: the two are compared.
 */
const env = {
  PORT: '5432',
  HOST: 'db.local',
  FLAG: 'True',
  BAD_INT: '12a',
  SPACED: ' 7 ',
  ZEROS: '007',
  NEG: '-3',
};
const render = (text: string, place: 'connection' | 'project' = 'connection') => {
  const { value, errors } = renderYamlValue({ key: text }, ['outputs', 'dev'], {
    file: 'profiles.yml',
    lineOf: () => 3,
    place,
    cliVars: {},
    env,
  });
  return {
    value: (value as { key: unknown }).key,
    errors: errors.map((e) => [e.code, e.message, e.hint, e.line]),
  };
};
const viaEngine = (text: string) => text.replace(/env_var\(([^)]*)\)/, '(env_var($1))');

describe('env_var() in YAML values without the template engine', () => {
  it('gives the value, type and problems the engine gives', () => {
    const cases = [
      "{{ env_var('HOST') }}",
      "{{ env_var('HOST', 'localhost') }}",
      '{{env_var("MISSING", \'fallback\')}}',
      "  {{ env_var('PORT') }}  ",
      "{{ env_var('PORT') | int }}",
      "{{ env_var('MISSING', '5433') | int }}",
      "{{ env_var('FLAG') }}",
      "{{ env_var('ZEROS') | int }}",
      "{{ env_var('NEG') | int }}",
      "{{ env_var('SPACED') | int }}",
      "{{ env_var('BAD_INT') | int }}",
      "{{ env_var('MISSING') }}",
      "{{ env_var('DBT_ENV_SECRET_X', 's') }}",
    ];
    for (const text of cases) {
      // an engine error quotes the text it could not render: the wrapped one there
      const engine = JSON.stringify(render(viaEngine(text)), (_k, v) =>
        typeof v === 'bigint' ? `${v}n` : v,
      );
      const fast = JSON.stringify(render(text), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
      expect(fast, text).toBe(
        engine.split(JSON.stringify(viaEngine(text)).slice(1, -1)).join(JSON.stringify(text).slice(1, -1)),
      );
    }
    expect(render("{{ env_var('PORT') | int }}").value).toBe(5432n);
    expect(render("{{ env_var('HOST', 'localhost') }}").value).toBe('db.local');
    expect(render("{{ env_var('MISSING') }}").errors[0]?.[0]).toBe('SSA-ENV-404');
    expect(render("{{ env_var('DBT_ENV_SECRET_X', 's') }}", 'project').errors[0]?.[0]).toBe('SSA-ENV-403');
  });
});
