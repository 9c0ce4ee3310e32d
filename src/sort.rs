//! The crate's one sort: a stable merge sort whose work is done by two
//! non-generic functions.
//!
//! The standard library's sorts are generic over the element and the
//! comparison, so every `sort_by` call site with its own closure compiles a
//! whole driftsort or ipnsort (with their sorting networks and partitions)
//! again: in the wasm module that was about 60 KB, a sixth of it. Here a sort
//! orders the *indices* of the slice by calling the comparison through a
//! `dyn` reference ([`order`]), then moves the elements into that order by
//! swaps ([`permute`]); what each call site compiles is two small closures.
//!
//! The sort is stable: equal elements keep their order, which is also a
//! correct result wherever an unstable sort was enough (every comparison the
//! search sorts by is a total order over distinct elements, or sorts values
//! that are equal only when identical). It takes O(n log n) comparisons and
//! O(n) words of memory.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably.
pub(crate) fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let perm = order(v.len(), &mut |a, b| cmp(&v[a], &v[b]) == Ordering::Greater);
    permute(perm, &mut |a, b| v.swap(a, b));
}

/// Sorts `v` by the key `key` gives each element, stably.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order.
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Elements sorted by insertion before the merges begin.
const RUN: usize = 12;

/// The indices `0..n` in stable sorted order, where `gt(a, b)` says that
/// element `a` sorts after element `b`: insertion-sorted runs, then merged
/// bottom-up between two buffers (a merge whose halves are already in
/// order is a copy).
#[inline(never)]
fn order(n: usize, gt: &mut dyn FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    for start in (0..n).step_by(RUN) {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let x = a[i];
            let mut j = i;
            while j > start && gt(a[j - 1], x) {
                a[j] = a[j - 1];
                j -= 1;
            }
            a[j] = x;
        }
    }
    let mut b = vec![0; n];
    let mut width = RUN;
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            if mid == hi || !gt(a[mid - 1], a[mid]) {
                b[lo..hi].copy_from_slice(&a[lo..hi]);
                continue;
            }
            let (mut i, mut j) = (lo, mid);
            for slot in &mut b[lo..hi] {
                // Ties take the left run's element first: stable.
                if i < mid && (j == hi || !gt(a[i], a[j])) {
                    *slot = a[i];
                    i += 1;
                } else {
                    *slot = a[j];
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Moves the element at `perm[i]` to position `i` for every `i`, by
/// following each cycle of the permutation with `swap(a, b)`.
#[inline(never)]
fn permute(mut perm: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    for i in 0..perm.len() {
        let mut j = i;
        loop {
            let k = perm[j];
            // Done: a position whose element is in place maps to itself.
            perm[j] = j;
            if k == i {
                break;
            }
            swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for the tests).
    fn numbers(seed: u64, n: usize, range: u64) -> Vec<u64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (s >> 33) % range
            })
            .collect()
    }

    #[test]
    fn sorts_as_the_standard_stable_sort() {
        for (round, n) in [0, 1, 2, 3, 11, 12, 13, 24, 25, 100, 1000, 4097].into_iter().enumerate()
        {
            for range in [2, 10, 1 << 40] {
                // (key, original position): stability shows in the positions.
                let v: Vec<(u64, usize)> =
                    numbers(round as u64 + range, n, range).into_iter().zip(0..).collect();
                let mut want = v.clone();
                want.sort_by_key(|x| x.0);
                let mut got = v.clone();
                sort_by_key(&mut got, |x| x.0);
                assert_eq!(got, want, "n {n}, range {range}");
                let mut desc = v.clone();
                sort_by(&mut desc, |a, b| b.0.cmp(&a.0));
                want.sort_by_key(|x| std::cmp::Reverse(x.0));
                assert_eq!(desc, want, "descending, n {n}, range {range}");
            }
        }
    }

    #[test]
    fn sorted_and_reversed_inputs() {
        let up: Vec<u32> = (0..500).collect();
        let mut v = up.clone();
        sort(&mut v);
        assert_eq!(v, up);
        v.reverse();
        sort(&mut v);
        assert_eq!(v, up);
    }

    #[test]
    fn moves_owned_values() {
        let mut v: Vec<String> = ["pear", "fig", "apple", "fig", "kiwi"].map(String::from).to_vec();
        sort(&mut v);
        assert_eq!(v, ["apple", "fig", "fig", "kiwi", "pear"]);
    }
}
