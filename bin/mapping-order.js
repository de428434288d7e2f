#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx mapping-order` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
