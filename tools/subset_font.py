"""Build the bundled UI fonts: Noto Sans CJK SC Regular and Bold, subset to what the simulator shows.

Run from anywhere, no arguments:

    python tools/subset_font.py

Reads Debian's Noto Sans CJK collections (package fonts-noto-cjk), takes the Simplified Chinese
face ("Noto Sans CJK SC") out of each, subsets it with fontTools and writes

    simulator/fonts/NotoSansCJKsc-Regular-subset.otf
    simulator/fonts/NotoSansCJKsc-Bold-subset.otf

The character set is
  * Basic Latin, Latin-1 Supplement, General Punctuation, CJK Symbols and Punctuation,
    Halfwidth and Fullwidth Forms (whole blocks);
  * the UI arrows and symbols listed in SYMBOLS;
  * the 8,105 characters of the Table of General Standard Chinese Characters (通用规范汉字表,
    2013), read from tools/tongyong-guifan-8105.txt, so any character an author may write shows;
  * GB2312 level 1 (the 3,755 most common hanzi, bytes 0xB0A1-0xD7F9; almost all already in the
    table above, kept so no earlier character is ever dropped);
  * every character in simulator/library/*.yaml, simulator/i18n.py and simulator/data/*.yaml, so all
    shipped content renders.
Rerun it after adding content that uses new characters. The output is byte-for-byte reproducible
for the same source fonts, content and fontTools version (the head timestamps are not touched).

It also writes simulator/fonts/coverage.txt: the code points both faces can draw, as ranges, which
``validate`` reads to warn about characters that would show as boxes (simulator/glyphs.py).

The character list is derived, not typed: ``python tools/subset_font.py --tgh-list`` rewrites
tools/tongyong-guifan-8105.txt from the kTGH field of the Unicode Han Database (Unihan), as
shipped by Debian's package unicode-data (/usr/share/unicode/Unihan_OtherMappings.txt.bz2).
"""

from __future__ import annotations

import bz2
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "simulator" / "fonts"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
FAMILY = "Noto Sans CJK SC"
BUILDS = [  # (source collection, output file)
    (SOURCE_DIR / "NotoSansCJK-Regular.ttc", OUT_DIR / "NotoSansCJKsc-Regular-subset.otf"),
    (SOURCE_DIR / "NotoSansCJK-Bold.ttc", OUT_DIR / "NotoSansCJKsc-Bold-subset.otf"),
]

BLOCKS = [
    (0x0000, 0x007F),  # Basic Latin
    (0x0080, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
SYMBOLS = "→✓✗⚠·—…¥●○★☆▶◀▲▼✔✘"
# English quotation marks in the proportional (Latin) form, at private-use code points; the plain
# code points keep the full-width form Chinese text wants (see add_latin_quotes).
LATIN_QUOTES = {"\u201c": "\ue000", "\u201d": "\ue001", "\u2018": "\ue002", "\u2019": "\ue003"}
CONTENT_GLOBS = ["simulator/library/*.yaml", "simulator/i18n.py", "simulator/data/*.yaml"]
GB2312_LEVEL1_COUNT = 3755
TGH_LIST = ROOT / "tools" / "tongyong-guifan-8105.txt"
TGH_COUNT = 8105
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
COVERAGE = OUT_DIR / "coverage.txt"


def fail(message: str) -> None:
    print(f"subset_font: error: {message}", file=sys.stderr)
    sys.exit(1)


def gb2312_level1() -> set[int]:
    """The 3,755 level-1 hanzi of GB2312: rows 16-55, i.e. bytes 0xB0A1 to 0xD7F9."""
    chars: set[int] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            if lead == 0xD7 and trail > 0xF9:
                break  # row 55 ends at 0xD7F9
            chars.add(ord(bytes([lead, trail]).decode("gb2312")))
    if len(chars) != GB2312_LEVEL1_COUNT:
        fail(f"expected {GB2312_LEVEL1_COUNT} GB2312 level-1 characters, decoded {len(chars)}")
    return chars


def write_tgh_list() -> None:
    """Rewrite the committed list from Unihan's kTGH field ("2013:<number in the table>")."""
    if not UNIHAN.is_file():
        fail(f"{UNIHAN} not found; it comes from the Debian package unicode-data (apt-get install unicode-data)")
    rows = []
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3 and fields[1] == "kTGH":
                code = int(fields[0][2:], 16)
                number = int(fields[2].split()[0].split(":")[1])
                rows.append((number, code))
    rows.sort()
    if len(rows) != TGH_COUNT or [n for n, _ in rows] != list(range(1, TGH_COUNT + 1)):
        fail(f"expected kTGH numbers 1..{TGH_COUNT} in {UNIHAN}, found {len(rows)} entries")
    header = [
        "# The 8,105 characters of the Table of General Standard Chinese Characters (通用规范汉字表, 2013),",
        "# in the table's order: number, character, code point. Levels: 1-3500 first, 3501-6500 second,",
        "# 6501-8105 third. Derived with `python tools/subset_font.py --tgh-list` from the kTGH field of",
        f"# the Unicode Han Database, {UNIHAN} (Debian package unicode-data).",
    ]
    body = [f"{n}\t{chr(code)}\tU+{code:04X}" for n, code in rows]
    TGH_LIST.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {TGH_LIST.relative_to(ROOT)}: {len(rows)} characters")


def tgh_chars() -> set[int]:
    """The committed Table of General Standard Chinese Characters."""
    chars = {ord(line.split("\t")[1]) for line in TGH_LIST.read_text("utf-8").splitlines()
             if line and not line.startswith("#")}
    if len(chars) != TGH_COUNT:
        fail(f"{TGH_LIST} should list {TGH_COUNT} characters, found {len(chars)}")
    return chars


def ranges(codepoints: list[int]) -> str:
    """Sorted code points as compact hex ranges, ten to a line: ``4E00-4E01 4E03 ...``."""
    spans: list[str] = []
    start = prev = None
    for cp in codepoints + [None]:
        if start is not None and (cp is None or cp != prev + 1):
            spans.append(f"{start:04X}" if start == prev else f"{start:04X}-{prev:04X}")
            start = None
        if cp is not None and start is None:
            start = cp
        prev = cp
    return "\n".join(" ".join(spans[i:i + 10]) for i in range(0, len(spans), 10))


def content_chars() -> dict[int, str]:
    """Every printable character in the shipped content, with the first file it occurs in."""
    found: dict[int, str] = {}
    files = [path for pattern in CONTENT_GLOBS for path in sorted(ROOT.glob(pattern))]
    if not files:
        fail(f"no content files found under {ROOT} ({', '.join(CONTENT_GLOBS)})")
    for path in files:
        for char in path.read_text(encoding="utf-8"):
            if char.isprintable():
                found.setdefault(ord(char), str(path.relative_to(ROOT)))
    return found


def wanted_codepoints() -> tuple[set[int], dict[int, str]]:
    wanted: set[int] = set()
    for first, last in BLOCKS:
        wanted.update(range(first, last + 1))
    wanted.update(ord(char) for char in SYMBOLS)
    wanted |= gb2312_level1()
    wanted |= tgh_chars()
    content = content_chars()
    wanted |= set(content)
    return wanted, content


def sc_face(collection: Path) -> TTFont:
    """The "Noto Sans CJK SC" font out of a Noto Sans CJK .ttc collection."""
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    fail(f"{collection} has no font with family name {FAMILY!r}")
    raise AssertionError  # unreachable


def add_latin_quotes(font: TTFont) -> list[int]:
    """Map LATIN_QUOTES' private-use code points to the face's proportional (Latin) quote glyphs.

    The SC face maps “ ” ‘ ’ to full-width glyphs, right in Chinese and too wide in English. Its
    'pwid' feature holds the proportional ones; the window draws English text's quotes through
    these code points (simulator/window/fonts.py), since SDL_ttf applies no OpenType features.
    """
    cmap = font.getBestCmap()
    mapping: dict[str, str] = {}
    gsub = font["GSUB"].table
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag != "pwid":
            continue
        for index in record.Feature.LookupListIndex:
            for table in gsub.LookupList.Lookup[index].SubTable:
                table = getattr(table, "ExtSubTable", table)
                mapping.update(getattr(table, "mapping", None) or {})
    added = []
    for quote, private in LATIN_QUOTES.items():
        glyph = mapping.get(cmap[ord(quote)])
        if glyph is None:
            fail(f"{FAMILY} has no proportional form of {quote} U+{ord(quote):04X} in its 'pwid' feature")
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[ord(private)] = glyph
        added.append(ord(private))
    return added


def subset_options() -> subset.Options:
    # Default layout features (kern, mark, vert, ...) except 'locl': its closure pulls in the
    # Japanese, Korean and Traditional Chinese variants of every kept hanzi (nearly one extra
    # glyph per character, about 45% of the file), and the window only ever draws Simplified.
    options = subset.Options()
    options.layout_features = [f for f in options.layout_features if f != "locl"]
    options.hinting = False  # CFF hints: dropping them saves ~270 KB (~15%) per face
    options.notdef_glyph = True
    options.notdef_outline = True  # keep the .notdef box, drawn for characters outside the subset
    options.name_IDs = ["*"]  # keep copyright, trademark, licence and URL records (OFL condition 2)
    options.name_languages = ["*"]
    return options


def char_list(codepoints: list[int]) -> str:
    return " ".join(f"{chr(cp)} U+{cp:04X}" for cp in codepoints)


def main() -> int:
    if sys.argv[1:] == ["--tgh-list"]:
        write_tgh_list()
        return 0
    missing = [str(source) for source, _ in BUILDS if not source.is_file()]
    if missing:
        fail("source font(s) not found: " + ", ".join(missing) + "\n"
             "  They come from the Debian/Ubuntu package fonts-noto-cjk. Install it with\n"
             "      sudo apt-get install fonts-noto-cjk\n"
             "  and run this script again.")

    wanted, content = wanted_codepoints()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"requested {len(wanted)} code points ({TGH_COUNT} of the general standard table, "
          f"{GB2312_LEVEL1_COUNT} GB2312 level-1 hanzi, {len(content)} distinct characters in shipped content)")
    drawn: set[int] | None = None

    for source, target in BUILDS:
        font = sc_face(source)
        font.recalcTimestamp = False  # reproducible output
        private = add_latin_quotes(font)
        cmap = font.getBestCmap()
        available = sorted(cp for cp in wanted if cp in cmap) + private

        absent_symbols = sorted(ord(char) for char in SYMBOLS if ord(char) not in cmap)
        absent_content = sorted(cp for cp in content if cp not in cmap)
        if absent_symbols:
            print(f"  note: not in {FAMILY} (will show as the .notdef box): {char_list(absent_symbols)}")
        if absent_content:
            print(f"  WARNING: {len(absent_content)} character(s) used in shipped content are not in {FAMILY}:")
            for cp in absent_content:
                print(f"    {chr(cp)} U+{cp:04X}  first seen in {content[cp]}")

        subsetter = subset.Subsetter(options=subset_options())
        subsetter.populate(unicodes=available)
        subsetter.subset(font)
        font.save(str(target))
        font.close()

        written = TTFont(str(target))
        cmap = written.getBestCmap()
        drawn = set(cmap) if drawn is None else drawn & set(cmap)
        mapped = len(cmap)
        glyphs = len(written.getGlyphOrder())
        written.close()
        size = target.stat().st_size
        print(f"{target.relative_to(ROOT)}: {size:,} bytes ({size / 1024 / 1024:.2f} MiB), "
              f"{mapped} characters, {glyphs} glyphs (from {source})")
    COVERAGE.write_text("# Code points both bundled faces can draw (hex ranges), written by tools/subset_font.py;\n"
                        "# validate warns about any other character in a scenario (simulator/glyphs.py).\n"
                        + ranges(sorted((drawn or set()) - {ord(c) for c in LATIN_QUOTES.values()}))
                        + "\n", encoding="utf-8")
    print(f"{COVERAGE.relative_to(ROOT)}: {len((drawn or set()) - {ord(c) for c in LATIN_QUOTES.values()})} "
          "code points (the private-use Latin quotes left out: no author writes them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
