#!/usr/bin/env node
// The `guardyn` command. Guardyn is written in TypeScript and runs through tsx,
// so `npx guardyn …` works in a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./guardyn.ts');
