/** Bad input caught before any request is made. `field` names the option or argument at fault. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A subject, user or other record that must exist on the server does not. */
export class AlyxMemberNotFoundError extends Error {
  override readonly name = 'AlyxMemberNotFoundError';
  constructor(
    readonly endpoint: string,
    readonly member: string,
    readonly server: string,
  ) {
    super(`${describeEndpoint(endpoint)} "${member}" does not exist on ${server}`);
  }
}

/** A planned file move would overwrite a file or leave the session folder. Nothing was moved. */
export class UnsafeMoveError extends Error {
  override readonly name = 'UnsafeMoveError';
}

function describeEndpoint(endpoint: string): string {
  switch (endpoint) {
    case 'subjects':
      return 'Subject';
    case 'users':
      return 'User';
    case 'labs':
      return 'Lab';
    case 'repositories':
    case 'data-repository':
      return 'Repository';
    case 'projects':
      return 'Project';
    default:
      return `"${endpoint}" member`;
  }
}
