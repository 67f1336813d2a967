// The libraries' view of the evaluation budget (spec 03 §8.3), owned by src/cel/budget.ts:
// long-running functions charge work units, and every list, map or string they build is checked
// against the size bounds so that `lists.range(100000000)` fails fast instead of exhausting
// memory.
export {
  chargeBudget,
  checkCollectionSize,
  checkStringSize,
  MAX_COLLECTION_ELEMENTS,
  MAX_STRING_BYTES,
} from '../budget.js';
