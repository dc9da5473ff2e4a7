import { z } from 'zod';
import { ErrorSchema } from '../domain/api.js';

/** Error responses every read route may give; listed in each route's schema so the document shows them. */
export const readErrors = { 400: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema } as const;

/** Query parameters are strings; a repeated parameter arrives as an array and is refused by name. */
export const queryString = (description: string) => z.string().max(500).meta({ description });

/** The content type of every CSV answer (RFC 4180 with a header row). */
export const CSV = 'text/csv; charset=utf-8';
