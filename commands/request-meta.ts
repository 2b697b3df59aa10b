/**
 * What every use case is told about the request it serves, beside its input:
 * the correlation id its commits carry (and the logs name).
 */
export interface RequestMeta {
  readonly correlationId: string;
}
