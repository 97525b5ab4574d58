#!/usr/bin/env node
// Validates a layer package and writes its manifest fragment: `shopsmart-layer build <dir>`.
import { runLayerCli } from '../dist/index.js';

process.exitCode = await runLayerCli(process.argv.slice(2));
