//! Sharded indexes: the real corpus split into hundreds of tiny shards
//! answers every query, suggestion and entry exactly as the single file
//! does, fetches only what a query needs, and refuses damaged or misplaced
//! shards with typed errors.

use std::collections::BTreeMap;

use dateline::index::{self, split, Index, IndexError, Meta, Options, ShardId, ShardOptions};
use dateline::search::{self, Query, SearchError, Sort};
use sha2::{Digest, Sha256};

use crate::index::corpus;

/// The corpus index with small entry blocks, as `dateline build --shards` writes it.
fn single() -> Vec<u8> {
    let c = corpus();
    let meta = Meta { title: c.title.clone(), timezone: c.timezone.clone() };
    index::write_with(&c.entries, &meta, &Options { entry_block: 2, all_tops: true }, &mut |_| {})
        .expect("index writes")
}

/// The root and the shards (by id) of `single()` split with `opts`.
fn sharded(opts: &ShardOptions) -> (Vec<u8>, BTreeMap<ShardId, Vec<u8>>) {
    let mut shards = BTreeMap::new();
    let root = split(&single(), opts, &mut |file: &[u8]| {
        let mut id = [0u8; 8];
        id.copy_from_slice(&Sha256::digest(file)[..8]);
        shards.insert(id, file.to_vec());
        Ok(id)
    })
    .expect("index splits");
    (root, shards)
}

/// Runs `f`, loading what it asks for, until it answers: (answer, rounds, shards fetched).
fn run<T, E: std::fmt::Debug>(
    ix: &mut Index<Vec<u8>>,
    shards: &BTreeMap<ShardId, Vec<u8>>,
    f: impl Fn(&Index<Vec<u8>>) -> Result<T, E>,
    not_loaded: impl Fn(&E) -> bool,
) -> (T, usize, usize) {
    let mut fetched = 0;
    for round in 0..12 {
        match f(ix) {
            Ok(v) => {
                assert!(ix.wanted().is_empty(), "a complete answer wants nothing");
                return (v, round, fetched);
            }
            Err(e) if not_loaded(&e) => {
                let wanted = ix.wanted();
                assert!(!wanted.is_empty(), "NotLoaded names what to fetch");
                if std::env::var_os("DEBUG_SHARDS").is_some() {
                    let secs: Vec<u32> = wanted
                        .iter()
                        .map(|id| u32::from_le_bytes(shards[id][24..28].try_into().unwrap()))
                        .collect();
                    eprintln!("round {round}: {secs:?}");
                }
                for id in wanted {
                    let file = shards.get(&id).expect("a wanted shard exists");
                    assert!(ix.add_shard(&id, file).expect("shard loads"), "a wanted shard is new");
                    fetched += 1;
                }
            }
            Err(e) => panic!("unexpected error {e:?}"),
        }
    }
    panic!("no answer after 12 rounds of fetching");
}

fn search_all(
    ix: &mut Index<Vec<u8>>,
    shards: &BTreeMap<ShardId, Vec<u8>>,
    q: &Query,
) -> (search::Results, usize, usize) {
    run(ix, shards, |ix| search::search(ix, q), |e| *e == SearchError::Index(IndexError::NotLoaded))
}

fn queries() -> Vec<Query> {
    let mut v: Vec<Query> = [
        "",
        "putin",
        "zel",
        "zelenskyy",
        "zelenskky",
        "ukr",
        "n",
        "ru",
        "nuclear power",
        "\"nuclear power plant\"",
        "russia -putin",
        "kyiv kharkiv",
        "sanctions",
        "refugees",
        "biden",
        "chelsea abramovich",
        "talks",
        "lavrov",
        "\"stiff resistance\"",
        "-russia",
        "war -\"world war\"",
        "xyzzy",
        "ukraine russia sanctions oil",
    ]
    .iter()
    .map(|q| Query { query: q.to_string(), limit: 20, ..Query::default() })
    .collect();
    v.push(Query {
        query: "russia".into(),
        sort: Sort::Newest,
        limit: 5,
        offset: 3,
        ..Query::default()
    });
    v.push(Query { query: "".into(), sort: Sort::Oldest, limit: 50, ..Query::default() });
    v.push(Query {
        query: "ukraine".into(),
        from: Some("2022-03-02".into()),
        to: Some("2022-03-02".into()),
        ..Query::default()
    });
    v.push(Query { query: "".into(), from: Some("2022-03-01".into()), ..Query::default() });
    v.push(Query {
        query: "talks".into(),
        authors: vec!["Patrick Reevell".into()],
        ..Query::default()
    });
    v.push(Query { authors: vec!["Zoe Magee".into(), "Nobody".into()], ..Query::default() });
    v
}

#[test]
fn sharded_answers_equal_single_file() {
    let single = Index::open(single()).expect("single opens");
    let (root, shards) = sharded(&ShardOptions::tiny());
    assert!(shards.len() > 200, "tiny pieces make many shards ({})", shards.len());
    let mut ix = Index::open(root).expect("root opens");
    assert!(ix.is_sharded() && !single.is_sharded());
    for q in queries() {
        let want = search::search(&single, &q).expect("single answers");
        let (got, _, _) = search_all(&mut ix, &shards, &q);
        assert_eq!(
            serde_json::to_value(&got).unwrap(),
            serde_json::to_value(&want).unwrap(),
            "query {q:?}"
        );
    }
    for p in ["z", "zel", "pu", "n", "nuc", "ukrainian", "xyz", "", "russia putin"] {
        for n in [3, 8, 40] {
            let want = search::suggest(&single, p, n).expect("single suggests");
            let (got, _, _) = run(
                &mut ix,
                &shards,
                |ix| search::suggest(ix, p, n),
                |e| *e == IndexError::NotLoaded,
            );
            assert_eq!(got, want, "suggest {p:?} {n}");
        }
    }
    for id in 0..single.len() + 2 {
        let want = single.entry(id).expect("single reads");
        let (got, _, _) = run(&mut ix, &shards, |ix| ix.entry(id), |e| *e == IndexError::NotLoaded);
        assert_eq!(got, want, "entry {id}");
    }
    let (mut a, mut b) = (single.stats(), ix.stats());
    a.index_bytes = 0;
    b.index_bytes = 0;
    assert_eq!(a, b);
}

#[test]
fn a_query_fetches_only_what_it_needs() {
    let (root, shards) = sharded(&ShardOptions::tiny());
    let mut ix = Index::open(root).expect("root opens");
    let q = Query { query: "abramovich".into(), limit: 3, ..Query::default() };
    let (r, rounds, fetched) = search_all(&mut ix, &shards, &q);
    assert!(r.total >= 1);
    // Dictionary (the word's piece, then the pieces of its first letter, for
    // typos); postings page, piece; norms page, piece; entries and dates
    // pages, pieces.
    assert!(rounds <= 8, "{rounds} rounds");
    assert!(fetched * 10 < shards.len(), "fetched {fetched} of {} shards", shards.len());
    // Asked again, it needs nothing more.
    let (_, rounds, fetched) = search_all(&mut ix, &shards, &q);
    assert_eq!((rounds, fetched), (0, 0));
}

/// With `partial_ok`, a one-word query's page comes from the tops before
/// the postings arrive: the same hits as the complete answer, from fewer
/// shards, marked `partial`; asked again without it, the complete answer.
#[test]
fn a_first_page_needs_no_postings() {
    let single = Index::open(single()).expect("single opens");
    let (root, shards) = sharded(&ShardOptions::tiny());
    let mut proved = 0;
    for word in ["russia", "zel", "ukr", "n", "abramovich", "sanctions", "zelenskky"] {
        let mut ix = Index::open(root.clone()).expect("root opens");
        let want = search::search(&single, &Query::text(word)).expect("single answers");
        let first = Query { partial_ok: true, ..Query::text(word) };
        let (r, _, fetched_first) = search_all(&mut ix, &shards, &first);
        assert_eq!(r.hits, want.hits, "{word}: the page is final");
        assert!(r.total <= want.total, "{word}: a lower bound");
        if r.partial {
            proved += 1;
            assert!(r.histogram.is_empty() && r.undated == 0, "{word}");
        } else {
            assert_eq!(r, want, "{word}");
        }
        let (rest, _, fetched_rest) = search_all(&mut ix, &shards, &Query::text(word));
        assert_eq!(rest, want, "{word}: complete");
        assert!(!r.partial || fetched_rest > 0, "{word}: the postings came after the page");
        // A cold complete query fetches what both steps fetched.
        let mut cold = Index::open(root.clone()).expect("root opens");
        let (_, _, fetched_all) = search_all(&mut cold, &shards, &Query::text(word));
        assert_eq!(fetched_all, fetched_first + fetched_rest, "{word}");
    }
    assert!(proved >= 5, "most words give their page before their postings ({proved})");
}

/// An entries piece carries its entries' dates: result cards fetch no
/// dates pieces (nor their directory pages), and dates come out the same.
#[test]
fn result_cards_need_no_dates_pieces() {
    let single = Index::open(single()).expect("single opens");
    let (root, shards) = sharded(&ShardOptions::tiny());
    let mut ix = Index::open(root).expect("root opens");
    let q = Query { query: "russia".into(), limit: 20, ..Query::default() };
    let mut sections = Vec::new();
    let r = loop {
        match search::search(&ix, &q) {
            Ok(r) => break r,
            Err(SearchError::Index(IndexError::NotLoaded)) => {
                for id in ix.wanted() {
                    let file = &shards[&id];
                    sections.push(u32::from_le_bytes(file[24..28].try_into().unwrap()));
                    ix.add_shard(&id, file).expect("shard loads");
                }
            }
            Err(e) => panic!("{e:?}"),
        }
    };
    assert_eq!(r, search::search(&single, &q).expect("single answers"));
    assert!(r.hits.iter().all(|h| h.published.is_some()), "the cards are dated");
    assert!(sections.contains(&13), "entries pieces were fetched");
    assert!(!sections.contains(&8), "no dates piece was: {sections:?}");
}

#[test]
fn damaged_or_misplaced_shards_are_typed_errors() {
    let (root, shards) = sharded(&ShardOptions::tiny());
    let mut ix = Index::open(root).expect("root opens");
    assert_eq!(
        search::search(&ix, &Query::text("putin")),
        Err(SearchError::Index(IndexError::NotLoaded))
    );
    let wanted = ix.wanted();
    let id = wanted[0];
    let good = &shards[&id];
    // Every flipped byte is refused; the good copy still loads afterwards.
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x41;
        let e = ix.add_shard(&id, &bad).expect_err("a damaged shard is refused");
        assert!(
            matches!(
                e,
                IndexError::ChecksumMismatch { .. }
                    | IndexError::Corrupt { .. }
                    | IndexError::BadMagic
                    | IndexError::Version { .. }
                    | IndexError::Truncated { .. }
            ),
            "{e:?}"
        );
    }
    for cut in 0..good.len() {
        assert!(ix.add_shard(&id, &good[..cut]).is_err());
    }
    // Another shard's bytes under this id, and an id the index does not list.
    let other =
        shards.iter().find(|(k, v)| **k != id && v.len() != good.len()).map(|(_, v)| v).unwrap();
    assert!(matches!(ix.add_shard(&id, other), Err(IndexError::Corrupt { .. })));
    assert!(matches!(ix.add_shard(&[0xEE; 8], good), Err(IndexError::Corrupt { .. })));
    // A single-file index has no shards to add.
    let mut single = Index::open(single()).unwrap();
    assert!(single.add_shard(&id, good).is_err());
    assert!(ix.add_shard(&id, good).unwrap());
    assert!(!ix.add_shard(&id, good).unwrap(), "a second copy is a no-op");
}

#[test]
fn splitting_is_deterministic_and_default_corpus_splits_small() {
    let a = sharded(&ShardOptions::tiny());
    let b = sharded(&ShardOptions::tiny());
    assert_eq!(a, b);
    let (root, shards) = sharded(&ShardOptions::default());
    // With default piece sizes, twenty entries are a handful of shards.
    assert!(shards.len() < 40, "{} shards", shards.len());
    assert!(root.len() < single().len());
}

/// The first section of a shard file (a directory page's is 16).
fn section_of(file: &[u8]) -> u32 {
    u32::from_le_bytes(file[24..28].try_into().unwrap())
}

/// The section whose pieces a directory page lists (its first piece's).
fn listed_by(shards: &BTreeMap<ShardId, Vec<u8>>, page: &[u8]) -> u32 {
    let table = read_section(page);
    // count varint | { key length varint | shard id [8] }
    let mut at = 0;
    for _ in 0..2 {
        while table[at] & 0x80 != 0 {
            at += 1;
        }
        at += 1;
    }
    let id: ShardId = table[at..at + 8].try_into().unwrap();
    section_of(&shards[&id])
}

/// The bytes of a shard's first section (its row: id, crc, offset, length).
fn read_section(file: &[u8]) -> &[u8] {
    let off = u64::from_le_bytes(file[32..40].try_into().unwrap()) as usize;
    let len = u64::from_le_bytes(file[40..48].try_into().unwrap()) as usize;
    &file[off..off + len]
}

/// A dictionary piece carries the directory pages of its terms' postings
/// and tops: no query fetches one of those pages, and a word's lists come
/// in the round after its dictionary piece.
#[test]
fn dictionary_pieces_carry_their_lists_pages() {
    let single = Index::open(single()).expect("single opens");
    let (root, shards) = sharded(&ShardOptions::tiny());
    for q in queries() {
        let mut ix = Index::open(root.clone()).expect("root opens");
        let mut rounds = Vec::new();
        let r = loop {
            match search::search(&ix, &q) {
                Ok(r) => break r,
                Err(SearchError::Index(IndexError::NotLoaded)) => {
                    let wanted = ix.wanted();
                    let mut secs = Vec::new();
                    for id in wanted {
                        let file = &shards[&id];
                        let sec = section_of(file);
                        secs.push(if sec == 16 { 100 + listed_by(&shards, file) } else { sec });
                        ix.add_shard(&id, file).expect("shard loads");
                    }
                    rounds.push(secs);
                }
                Err(e) => panic!("{e:?}"),
            }
        };
        assert_eq!(r, search::search(&single, &q).expect("single answers"), "{q:?}");
        let all: Vec<u32> = rounds.concat();
        assert!(!all.contains(&104) && !all.contains(&117), "{q:?}: a lists page: {rounds:?}");
        if std::env::var_os("DEBUG_SHARDS").is_some() {
            eprintln!("{:?}: {rounds:?}", q.query);
        }
    }
}
