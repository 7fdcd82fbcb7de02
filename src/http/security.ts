import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/** Where SwaggerModule serves the API docs (configure-app.ts). */
export const DOCS_PATH = 'docs';

const NOTHING = ["'none'"];

/**
 * JSON answers load nothing, so the policy forbids everything; a JSON error
 * page opened in a browser cannot run or load anything either. The dashboard
 * sends a policy of its own (dashboard.controller.ts), which replaces this one.
 */
const API_POLICY = {
  defaultSrc: NOTHING,
  baseUri: NOTHING,
  formAction: NOTHING,
  frameAncestors: NOTHING,
};

/**
 * Swagger UI loads its scripts from /docs itself (no inline script), but its
 * page carries <style> blocks and its React code sets inline styles, and its
 * icons are data: SVGs. Only /docs gets this, so nothing else may run an
 * inline style. No upgrade-insecure-requests: the service speaks plain HTTP
 * (TLS, if any, ends at a proxy), and upgraded asset URLs would not load.
 */
const DOCS_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: NOTHING,
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: NOTHING,
};

type Middleware = (request: Request, response: Response, next: NextFunction) => void;
type HeaderStep = { set: [string, string | number | readonly string[]] } | { remove: string };

/**
 * With fixed directives helmet writes the same headers on every answer, but
 * it works them out again each time (through a chain of a dozen middleware).
 * So it runs once on a stand-in response and the steps it took are replayed;
 * if it does anything else (calls next later, or with an error), it keeps
 * running per request.
 */
function replayed(middleware: Middleware): Middleware {
  const steps: HeaderStep[] = [];
  const probe = {
    setHeader: (name: string, value: string | number | readonly string[]) => void steps.push({ set: [name, value] }),
    removeHeader: (name: string) => void steps.push({ remove: name }),
  };
  let passed = false;
  middleware({} as Request, probe as unknown as Response, (error?: unknown) => (passed = error === undefined));
  if (!passed) return middleware;
  return (_request, response, next) => {
    for (const step of steps) {
      if ('set' in step) response.setHeader(...step.set);
      else response.removeHeader(step.remove);
    }
    next();
  };
}

const headers = (directives: Record<string, string[]>) =>
  replayed(helmet({ contentSecurityPolicy: { useDefaults: false, directives } }));

/**
 * helmet's headers on every answer, errors included. Register it before the
 * body parser: a body the parser refuses (413, invalid JSON) never reaches
 * middleware registered after it.
 */
export function useSecurityHeaders(app: INestApplication): void {
  const api = headers(API_POLICY);
  const docs = headers(DOCS_POLICY);
  const docsPrefix = `/${DOCS_PATH}/`;
  app.use((request: Request, response: Response, next: NextFunction) => {
    const isDocs = request.path === `/${DOCS_PATH}` || request.path.startsWith(docsPrefix);
    (isDocs ? docs : api)(request, response, next);
  });
}

/**
 * CORS only for the configured origins; any other origin gets no CORS header
 * at all, so a browser keeps its pages from reading our answers. Without
 * origins nothing is registered: CORS is off.
 */
export function useCors(app: INestApplication, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.enableCors({
    origin: (origin: string | undefined, callback: (error: Error | null, allow?: string | false) => void) =>
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    exposedHeaders: ['x-correlation-id', 'retry-after'],
    maxAge: 600,
  });
}
