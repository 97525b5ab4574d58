export { type CliArgs, parseCliArgs } from './cli-args.js';
export { createEventPrinter, type Output } from './event-printer.js';
export { main } from './main.js';
