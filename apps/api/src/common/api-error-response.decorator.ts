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
    }),
  })
  .meta({ id: 'Error' });

/** Documents an error answer of the route: the status, when it happens, and the error body. */
export function ApiErrorResponse(status: number, description: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, standardSchema: errorBodySchema });
}
