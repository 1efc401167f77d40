/**
 * Thrown to answer with a response recorded earlier (an Idempotency-Key replay): the exception
 * filter writes the stored status and body as they were.
 */
export class StoredResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
