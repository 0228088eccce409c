// AWS-shaped service errors. `code` is the `__type` AWS KMS sends; the SDKs map it to their exception classes.

export class KmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (message: string) => new KmsError('NotFoundException', message);
export const invalidKeyId = (id: string) => notFound(`Invalid keyId '${id}'`);
export const validation = (message: string) => new KmsError('ValidationException', message);
export const serialization = (message: string) => new KmsError('SerializationException', message);
export const invalidState = (message: string) => new KmsError('KMSInvalidStateException', message);
export const disabled = (message: string) => new KmsError('DisabledException', message);
export const alreadyExists = (message: string) => new KmsError('AlreadyExistsException', message);
export const invalidMarker = () => new KmsError('InvalidMarkerException', 'Invalid marker');
export const invalidCiphertext = () => new KmsError('InvalidCiphertextException', '');
export const incorrectKey = () =>
  new KmsError(
    'IncorrectKeyException',
    'The key ID in the request does not identify a CMK that can perform this operation.',
  );
export const unsupported = (message: string) => new KmsError('UnsupportedOperationException', message);
export const invalidKeyUsage = (message: string) => new KmsError('InvalidKeyUsageException', message);
export const invalidGrantToken = () => new KmsError('InvalidGrantTokenException', 'Invalid grant token');
export const invalidArn = (message: string) => new KmsError('InvalidArnException', message);
export const dryRun = () =>
  new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
export const internal = () => new KmsError('KMSInternalException', 'An internal error occurred.', 500);
