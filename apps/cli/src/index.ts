export type { CliArgs } from './cli-options.js';
export { parseCliArgs } from './cli-program.js';
export { createEventPrinter, type Output } from './event-printer.js';
export { main } from './main.js';
