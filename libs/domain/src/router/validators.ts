/** Small helpers over the shared validators for the router's nested attributes. */
import { pySetRepr } from '../common/python';

export { isDict, validateString, validateUuid } from '../common/validators';

/** _verify_dict_keys's message when required keys are missing. */
export const verifyDictKeysOk = (expected: string[], provided: string[]): string =>
  `Validation of dictionary's keys failed. Expected keys: ${pySetRepr(expected)} Provided keys: ${pySetRepr(provided)}`;
