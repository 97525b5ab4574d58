import { ShopsmartError } from '../errors.js';
import { signatureText } from '../template/macro-signature.js';
import type { TemplateEngine } from '../template/template-engine.js';
import type { ProjectNode } from './project-types.js';

/**
 * A generic test that fails to render is the user's YAML declaration gone wrong far more often
 * than the test macro: report it at the YAML file and line that declares it, naming the test, the
 * node it is on, and the arguments the macro requires that the declaration leaves out.
 *
 * @example
 * // relationships without `to:` →
 * // [SSA-TEST-ARGS] models/_models.yml:9: test 'relationships' on 'orders.customer_id' is missing argument 'to'
 */
export function testCallError(
  error: ShopsmartError,
  test: ProjectNode,
  yamlFile: string,
  engine: TemplateEngine,
  layer: string,
): ShopsmartError {
  const meta = test.testMetadata;
  if (!meta) return error;
  const kwargs = meta.kwargs;
  const on = `'${test.attachedNode?.split('.').at(-1) ?? '?'}${typeof kwargs.column_name === 'string' ? `.${kwargs.column_name}` : ''}'`;
  const signature = meta.namespace ? undefined : engine.macroSignature(layer, `test_${meta.name}`);
  const missing = (signature?.params ?? [])
    .filter((p) => p.required && p.name !== 'model' && !(p.name in kwargs))
    .map((p) => p.name);
  const where = { file: yamlFile, line: test.origin.patchLine, cause: error };
  if (signature && missing.length > 0) {
    return new ShopsmartError(
      'SSA-TEST-ARGS',
      `test '${meta.name}' on ${on} is missing argument${missing.length === 1 ? '' : 's'} ${missing.map((m) => `'${m}'`).join(', ')}`,
      {
        ...where,
        hint: `${signatureText(signature)} is defined at ${signature.file}:${signature.line}; add ${missing.map((m) => `${m}:`).join(', ')} under the test (dbt nests them under arguments: too)`,
      },
    );
  }
  return new ShopsmartError(error.code, `test '${meta.name}' on ${on}: ${error.message}`, {
    ...where,
    hint: `${error.location && error.file !== yamlFile ? `the error is in ${error.location}; ` : ''}${error.hint ?? 'check the arguments given to the test'}`,
  });
}
