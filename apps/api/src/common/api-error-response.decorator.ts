import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** The error body, for the OpenAPI document. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string().meta({ example: 'The request body is invalid' }),
      details: z
        .array(z.object({ path: z.string().meta({ example: 'events.0' }), message: z.string().meta({ example: 'Invalid option: expected one of "message.delivered"|"message.read"|"message.failed"|"message.action"' }) }))
        .optional()
        .meta({ description: 'One entry per bad field (validation errors)' }),
      request_id: z.string().optional().meta({ description: 'The request this answers, as in the `X-Request-Id` header: quote it to support', example: '9b2d6c1e-4f0a-4d8e-b1a3-6c5e2f7d8a90' }),
    }),
  })
  .meta({ id: 'Error' });

/** Documents an error answer of the route: the status, when it happens, and the error body. */
export function ApiErrorResponse(status: number, description: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, standardSchema: errorBodySchema });
}
