export { main } from './main.js';
export { type CliArgs, parseCliArgs } from './cli-args.js';
export { createEventPrinter, type Output } from './event-printer.js';
