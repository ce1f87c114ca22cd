import { z } from 'zod';

/** The envelope shapes (gateway/docs/api.md, "Conventions"); the interceptor and the filter build them, the docs describe them. */
export const PaginationSchema = z.object({
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
  total: z.number().int().min(0),
  totalPages: z.number().int().min(0),
  hasNext: z.boolean(),
  hasPrev: z.boolean(),
});
export type Pagination = z.infer<typeof PaginationSchema>;

export const successEnvelope = (data: z.ZodType, paginated = false) =>
  z.object({
    success: z.literal(true),
    data,
    meta: z.object({
      timestamp: z.iso.datetime(),
      ...(paginated ? { pagination: PaginationSchema } : {}),
    }),
  });

export const ErrorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.string().meta({ description: 'Stable error code (see the error table).' }),
      message: z.string().meta({ description: 'Safe to show a user.' }),
      details: z.unknown().optional(),
      timestamp: z.iso.datetime(),
      traceId: z
        .string()
        .regex(/^[0-9a-f]{32}$/)
        .meta({ description: 'OpenTelemetry trace id.' }),
    }),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** A page of a list: handlers return it, the envelope moves the counts to `meta.pagination`. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly page: number,
    readonly limit: number,
    readonly total: number,
  ) {}

  get pagination(): Pagination {
    const totalPages = Math.ceil(this.total / this.limit);
    return {
      page: this.page,
      limit: this.limit,
      total: this.total,
      totalPages,
      hasNext: this.page < totalPages,
      hasPrev: this.page > 1,
    };
  }
}
