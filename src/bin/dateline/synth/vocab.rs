//! The fixed text of synthetic captures: page furniture, names, agencies, places.

/// Page furniture before the posts, as in the real captures 002 and 003.
pub(super) const HEADER: &str = "Russia-Ukraine updates: Putin says 'certain positive movements' in negotiations

A third round of talks between Russia and Ukraine ended without any resolution.

Russian forces are continuing their attempted push through Ukraine from multiple directions, while Ukrainians, led by President Volodymyr Zelenskyy, are putting up \"stiff resistance,\" according to U.S. officials.

The attack began Feb. 24, when Russian President Vladimir Putin announced a \"special military operation.\"

Russian forces moving from neighboring Belarus toward Ukraine's capital, Kyiv, have advanced closer to the city center in recent days despite the resistance, coming within about 9 miles as of Friday.

Russia has been met by sanctions from the United States, Canada and countries throughout Europe, targeting the Russian economy as well as Putin himself.

For previous coverage, please click here.

Hulu

Two Men at War

A look at the two leaders at the center of the war in Ukraine and how they both rose to power, the difference in their leadership and what led to this moment in history.

";

/// Page furniture after the posts.
pub(super) const FOOTER: &str = "Related Topics\n";

/// Lines of page furniture: never sampled as text.
pub(super) const FURNITURE: &[&str] = &[
    "For previous coverage, please click here.",
    "Hulu",
    "Two Men at War",
    "Stream On Hulu",
    "Related Topics",
    "LIVE UPDATES",
    "0",
];

/// Abbreviations whose final period does not end a sentence.
pub(super) const ABBREVIATIONS: &[&str] = &[
    "Jan", "Feb", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Gov", "Mr", "Mrs", "Ms", "Dr", "St",
    "Gen", "Lt", "Col", "Sen", "Rep", "Jr", "Sr", "Sgt", "Capt", "Maj", "Adm", "No", "vs", "Inc",
    "Co", "Corp", "Ltd", "Mt", "Ft", "Gov", "Pres",
];

pub(super) const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Ben",
    "Cindy",
    "David",
    "Elena",
    "Fatima",
    "George",
    "Hannah",
    "Ivan",
    "Julia",
    "Kevin",
    "Laura",
    "Marcus",
    "Nadia",
    "Oliver",
    "Priya",
    "Quinn",
    "Rachel",
    "Samuel",
    "Tara",
    "Umar",
    "Victoria",
    "William",
    "Ximena",
    "Yuri",
    "Zoe",
    "Aaron",
    "Bianca",
    "Carlos",
    "Dana",
    "Emily",
    "Frank",
    "Grace",
    "Hector",
    "Iris",
    "James",
    "Kate",
    "Luis",
    "Maria",
    "Nathan",
    "Olga",
    "Peter",
    "Rosa",
    "Sarah",
    "Tom",
    "Ursula",
    "Vera",
    "Wes",
    "Yasmin",
    "Zach",
    "Alexandra",
    "Brian",
    "Chloe",
    "Dmitri",
    "Erin",
    "Felix",
    "Gina",
    "Hugo",
    "Ines",
    "Jon",
    "Kim",
    "Leah",
    "Mark",
    "Nina",
    "Omar",
    "Paula",
    "Ray",
    "Sofia",
    "Terry",
    "Will",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "Adams",
    "Baker",
    "Castillo",
    "Dimitrova",
    "Edwards",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Morales",
    "Novak",
    "O'Connor",
    "Petrenko",
    "Quinlan",
    "Rossi",
    "Schmidt",
    "Turner",
    "Usmanov",
    "Vasquez",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Bennett",
    "Chen",
    "Doherty",
    "Esposito",
    "Flores",
    "Grant",
    "Hoffman",
    "Iqbal",
    "Jovanovic",
    "Kaplan",
    "Lindqvist",
    "McCarthy",
    "Nguyen",
    "Okafor",
    "Park",
    "Reyes",
    "Silva",
    "Tanaka",
    "Ueda",
    "Volkova",
    "Whitaker",
    "Young",
    "Zielinski",
    "Abramson",
    "Brennan",
    "Coleman",
    "Delgado",
    "Ellison",
    "Fitzgerald",
    "Goldberg",
    "Harper",
    "Ishikawa",
    "Jablonski",
    "Kuznetsov",
    "Larsen",
    "Mendez",
    "Nakamura",
    "Ortega",
    "Pavlenko",
    "Romano",
    "Sokolov",
    "Thornton",
    "Vance",
    "Weber",
];

/// Photo agencies for credit lines (merged with those of the real corpus).
pub(super) const AGENCIES: &[&str] = &[
    "AFP via Getty Images",
    "Reuters",
    "AP",
    "Getty Images",
    "Anadolu Agency via Getty Images",
    "EPA-EFE/Shutterstock",
    "Bloomberg via Getty Images",
    "NurPhoto via Getty Images",
    "SOPA Images/LightRocket via Getty Images",
    "Pool/AFP via Getty Images",
    "Sputnik/Kremlin pool photo via AP",
    "Ukrinform/Future Publishing via Getty Images",
];

/// Credits without a photographer.
pub(super) const PLAIN_CREDITS: &[&str] =
    &["Maxar Technologies", "Planet Labs PBC", "Ukrainian Presidential Press Office via AP"];

pub(super) const CITIES: &[&str] = &[
    "Kyiv",
    "Kharkiv",
    "Mariupol",
    "Lviv",
    "Odesa",
    "Irpin",
    "Bucha",
    "Mykolaiv",
    "Kherson",
    "Zaporizhzhia",
    "Dnipro",
    "Chernihiv",
    "Sumy",
    "Kramatorsk",
    "Sievierodonetsk",
    "Bakhmut",
];

pub(super) const MONTHS_AP: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
