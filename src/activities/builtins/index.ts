import type { ActivityDefinition } from '../types.js';
import { coreEcho } from './core-echo.js';
import { coreLog } from './core-log.js';
import { httpRequest } from './http-request.js';

/** The activities of docs/dsl.md#activities, always in the catalog. */
export const BUILTIN_ACTIVITIES: readonly ActivityDefinition<any, any>[] = [coreEcho, coreLog, httpRequest];
