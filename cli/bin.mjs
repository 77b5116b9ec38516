#!/usr/bin/env node
// The package's `switchboard` command: the bundle scripts/build-cli.mjs writes (npm run build:cli).
import "../public/cli/switchboard.mjs";
