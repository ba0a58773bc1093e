/**
 * The one closed list of expected failures. Each maps to an HTTP status (RFC 9457 problem+json) and a CLI exit code,
 * so the API, the CLI and the tests agree on what a failure means.
 */
export const errorCodes = {
  malformed_request: { status: 400, exit: 64, title: 'Malformed request' },
  validation_failed: { status: 400, exit: 65, title: 'Validation failed' },
  unauthorized: { status: 401, exit: 77, title: 'Not signed in' },
  forbidden: { status: 403, exit: 77, title: 'Not allowed' },
  rate_limited: { status: 429, exit: 75, title: 'Too many requests' },
  not_found: { status: 404, exit: 66, title: 'Not found' },
  unsupported_media_type: { status: 415, exit: 64, title: 'Unsupported media type' },
  payload_too_large: { status: 413, exit: 64, title: 'Payload too large' },
  unknown_reference: { status: 422, exit: 65, title: 'Unknown reference' },
  idempotency_key_reused: { status: 422, exit: 65, title: 'Idempotency key reused with a different request' },
  already_exists: { status: 409, exit: 73, title: 'Already exists' },
  illegal_transition: { status: 409, exit: 73, title: 'Illegal state transition' },
  insufficient_stock: { status: 409, exit: 73, title: 'Insufficient stock' },
  internal: { status: 500, exit: 70, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export const httpStatusOf = (code: ErrorCode): number => errorCodes[code].status;
export const exitCodeOf = (code: ErrorCode): number => errorCodes[code].exit;
