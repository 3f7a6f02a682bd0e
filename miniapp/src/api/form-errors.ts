import { ApiError, userMessage } from './errors';

/** Errors of a form: one per field (keyed by the API's field name), plus one for the form as a whole. */
export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
}

export const noErrors: FormErrors = { fields: {} };

/**
 * Puts a failed call's message under the input it names (the BFF names the field in `Err_Detail.field`
 * or `data.field`); a message about no known field goes to the form. The message's leading
 * "Field_Name: " is dropped, since the label above the input already says which field it is.
 */
export function errorsFrom(err: unknown, known: readonly string[]): FormErrors {
  const message = userMessage(err);
  const field = err instanceof ApiError ? err.field : undefined;
  if (field && known.includes(field)) {
    const plain = message.replace(new RegExp(`^${field.replace(/[.]/g, '\\.')}\\s*[:：]\\s*`), '');
    return { fields: { [field]: plain } };
  }
  return { fields: {}, form: message };
}
