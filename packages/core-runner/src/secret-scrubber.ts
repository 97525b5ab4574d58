/** Environment variables whose values are secrets, as dbt names them. */
export const secretEnvPrefix = 'DBT_ENV_SECRET_';

/** What a secret's value is replaced with wherever the engine reports or writes it. */
export const secretMask = '*****';

/**
 * The values of every `DBT_ENV_SECRET_*` variable in the environment, longest first (so a
 * secret holding another is masked whole). Read on each call: the environment may change
 * between runs in one process.
 */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env))
    if (name.startsWith(secretEnvPrefix) && value && value.trim() !== '') values.add(value);
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every secret value replaced by `*****`, as dbt scrubs its logs.
 *
 * @example
 * process.env.DBT_ENV_SECRET_TOKEN = 's3cr3t';
 * scrubSecrets('token=s3cr3t'); // → 'token=*****'
 */
export function scrubSecrets(text: string, secrets: string[] = secretValues()): string {
  let scrubbed = text;
  for (const secret of secrets)
    if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(secretMask);
  return scrubbed;
}

/**
 * A copy of a JSON-like value with secrets scrubbed from every string (keys included). Done on
 * the value, not its JSON text, so a secret holding quotes or backslashes is still found.
 * Returns the value itself when there are no secrets.
 */
export function scrubSecretsDeep<T>(value: T, secrets: string[] = secretValues()): T {
  if (secrets.length === 0) return value;
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') return scrubSecrets(item, secrets);
    if (Array.isArray(item)) return item.map(visit);
    if (item && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype)
      return Object.fromEntries(
        Object.entries(item).map(([key, inner]) => [scrubSecrets(key, secrets), visit(inner)]),
      );
    return item;
  };
  return visit(value) as T;
}

/** Whether `text` holds the value of a secret. */
export function containsSecret(text: string, secrets: string[] = secretValues()): boolean {
  return secrets.some((secret) => text.includes(secret));
}
