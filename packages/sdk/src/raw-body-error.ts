/**
 * The request reached the webhook helper without its raw bytes: a JSON body parser ran first and
 * replaced them with an object, so no signature can be checked. A setup mistake, answered with 500
 * (Inbox retries) and a message that says how to fix the app.
 */
export class RawBodyError extends Error {
  override readonly name = 'RawBodyError';
}
