/** Attributes every standard resource carries (standard-attr-description, -tag, -timestamp, -revisions). */
import type { AttrMap } from './attributes';
import { validateString } from './validators';

export const DESCRIPTION: AttrMap = {
  description: { post: true, put: true, default: '', validate: (v) => validateString(v, 255) },
};

const readOnly = { post: false, put: false };

export const TAG_FILTERS: AttrMap = {
  tags: readOnly,
  'tags-any': readOnly,
  'not-tags': readOnly,
  'not-tags-any': readOnly,
};

export const TIMESTAMPS: AttrMap = {
  created_at: readOnly,
  updated_at: readOnly,
  revision_number: readOnly,
};
