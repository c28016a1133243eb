#!/usr/bin/env node
// Empties dist/ before a build, so files whose sources are gone never ship in the package.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
