// A sharded archive answers from what it has loaded; a call that needs more
// throws a `pending` error. The page then keeps what is on screen, fetches
// the shards, and runs the call again — unless a newer one ran meanwhile.
// While anything is being fetched, <html> has `data-pending="true"`.

/** Call site -> the token of its latest wait. */
const waits = new Map();

/** If `e` is a `pending` error: fetch its shards, then run `again()` (if no
 *  newer call of `key` ran) or `failed(error)` if the fetch failed, and
 *  return true. Any other error: return false. */
export function retryWhenLoaded(key, e, again, failed) {
  if (!e || e.code !== 'pending' || typeof e.load !== 'function') return false;
  const token = {};
  waits.set(key, token);
  document.documentElement.dataset.pending = 'true';
  const settle = () => {
    if (waits.get(key) !== token) return false;
    waits.delete(key);
    if (!waits.size) delete document.documentElement.dataset.pending;
    return true;
  };
  e.load().then(() => { if (settle()) again(); }, (err) => { if (settle()) failed(err); });
  return true;
}

/** A call of `key` answered: an older wait of it must not re-render. */
export function answered(key) {
  waits.delete(key);
  if (!waits.size) delete document.documentElement.dataset.pending;
}
