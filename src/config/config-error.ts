/** Error raised when senlin.conf cannot be read or holds an invalid value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
