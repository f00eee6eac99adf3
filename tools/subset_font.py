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
  * GB2312 level 1 (the 3,755 most common hanzi, bytes 0xB0A1-0xD7F9), a reproducible stand-in
    for the 3,500-character 常用字 list;
  * every character in simulator/library/*.yaml, simulator/i18n.py and simulator/data/*.yaml, so all
    shipped content renders.
Rerun it after adding content that uses new characters. The output is byte-for-byte reproducible
for the same source fonts, content and fontTools version (the head timestamps are not touched).
"""

from __future__ import annotations

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
CONTENT_GLOBS = ["simulator/library/*.yaml", "simulator/i18n.py", "simulator/data/*.yaml"]
GB2312_LEVEL1_COUNT = 3755


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


def subset_options() -> subset.Options:
    # Default layout features (kern, mark, locl, vert, ...). Their closure pulls in the JP/KR/TC
    # 'locl' variants of the kept hanzi: ~3,300 extra glyphs, about 0.7 MB per face.
    options = subset.Options()
    options.hinting = False  # CFF hints: dropping them saves ~270 KB (~15%) per face
    options.notdef_glyph = True
    options.notdef_outline = True  # keep the .notdef box, drawn for characters outside the subset
    options.name_IDs = ["*"]  # keep copyright, trademark, licence and URL records (OFL condition 2)
    options.name_languages = ["*"]
    return options


def char_list(codepoints: list[int]) -> str:
    return " ".join(f"{chr(cp)} U+{cp:04X}" for cp in codepoints)


def main() -> int:
    missing = [str(source) for source, _ in BUILDS if not source.is_file()]
    if missing:
        fail("source font(s) not found: " + ", ".join(missing) + "\n"
             "  They come from the Debian/Ubuntu package fonts-noto-cjk. Install it with\n"
             "      sudo apt-get install fonts-noto-cjk\n"
             "  and run this script again.")

    wanted, content = wanted_codepoints()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"requested {len(wanted)} code points "
          f"({GB2312_LEVEL1_COUNT} GB2312 level-1 hanzi, {len(content)} distinct characters in shipped content)")

    for source, target in BUILDS:
        font = sc_face(source)
        font.recalcTimestamp = False  # reproducible output
        cmap = font.getBestCmap()
        available = sorted(cp for cp in wanted if cp in cmap)

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
        mapped = len(written.getBestCmap())
        glyphs = len(written.getGlyphOrder())
        written.close()
        size = target.stat().st_size
        print(f"{target.relative_to(ROOT)}: {size:,} bytes ({size / 1024 / 1024:.2f} MiB), "
              f"{mapped} characters, {glyphs} glyphs (from {source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
