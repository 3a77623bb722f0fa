// The dashboard runs under a Content-Security-Policy without 'unsafe-eval'
// (dashboard/server/security-headers.ts). zod would try `Function('')` once to
// see whether it may compile its schemas, which the browser refuses and reports
// as a violation; told it is jitless, it never tries. main.ts imports this first,
// before any module that uses a schema.
import { config } from 'zod';

config({ jitless: true });
