//! `Document`: an article's text plus the annotation layers the stages add.
//!
//! Every span here is in **bytes** into [`Document::text`]. Each layer is written by
//! exactly one stage (see `newsgraph-extract`), which names the layers it reads.

use crate::{Article, Date, Span};

/// The annotation layers of a document, in the order the pipeline fills them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// The article text as the source reader produced it (always present).
    Raw,
    /// The clean text and the list of removed boilerplate lines.
    Clean,
    /// Sentences and tokens.
    Segments,
    /// Part of speech, lemma and dependency tree of every token.
    Syntax,
    /// Entities and their name mentions.
    Entities,
    /// Nominal and pronoun mentions linked to entities.
    Coreference,
    /// Normalized time expressions.
    Times,
    /// Quotes and their speakers.
    Quotes,
    /// Coded events.
    Events,
}

/// A line the `clean` stage took out of the text, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    /// The removed line, as it was.
    pub text: String,
    /// Why: a short reason such as `promo`, `share`, `credit`, `byline`, `copyright`.
    pub reason: String,
    /// The name of the rule that removed it.
    pub rule: String,
}

/// What kind of token a [`Token`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes or periods ("U.S.", "O'Brien").
    Word,
    /// A number ("24", "3.5", "1,000", "2024").
    Number,
    /// Punctuation: . , ; : ! ? quotes, brackets, dashes.
    Punct,
    /// Any other symbol ("$", "%", "&", "@") or emoji.
    Symbol,
    /// A web address or e-mail address.
    Url,
}

/// One token, tokenized the way Universal Dependencies' English treebanks are
/// ("don't" is "do" + "n't", "Russia's" is "Russia" + "'s", "long-term" is three tokens).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where the token is in the text (bytes).
    pub span: Span,
    /// What kind of token it is.
    pub kind: TokenKind,
    /// True when whitespace follows the token in the text.
    pub space_after: bool,
}

/// One sentence: its span and its range of tokens in [`Document::tokens`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// From the first byte of its first token to the last byte of its last token.
    pub span: Span,
    /// Index of its first token.
    pub first_token: u32,
    /// Index one past its last token.
    pub end_token: u32,
}

/// A Universal Dependencies part-of-speech tag (UPOS), one of the 17.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Upos {
    /// Adjective.
    Adj,
    /// Adposition.
    Adp,
    /// Adverb.
    Adv,
    /// Auxiliary.
    Aux,
    /// Coordinating conjunction.
    Cconj,
    /// Determiner.
    Det,
    /// Interjection.
    Intj,
    /// Noun.
    Noun,
    /// Numeral.
    Num,
    /// Particle.
    Part,
    /// Pronoun.
    Pron,
    /// Proper noun.
    Propn,
    /// Punctuation.
    Punct,
    /// Subordinating conjunction.
    Sconj,
    /// Symbol.
    Sym,
    /// Verb.
    Verb,
    /// Other (also the tag of a token not analysed).
    #[default]
    X,
}

impl Upos {
    /// Every tag, in the order of the enum.
    pub const ALL: [Upos; 17] = [
        Upos::Adj,
        Upos::Adp,
        Upos::Adv,
        Upos::Aux,
        Upos::Cconj,
        Upos::Det,
        Upos::Intj,
        Upos::Noun,
        Upos::Num,
        Upos::Part,
        Upos::Pron,
        Upos::Propn,
        Upos::Punct,
        Upos::Sconj,
        Upos::Sym,
        Upos::Verb,
        Upos::X,
    ];

    /// The upper-case UD name ("NOUN").
    pub fn as_str(self) -> &'static str {
        match self {
            Upos::Adj => "ADJ",
            Upos::Adp => "ADP",
            Upos::Adv => "ADV",
            Upos::Aux => "AUX",
            Upos::Cconj => "CCONJ",
            Upos::Det => "DET",
            Upos::Intj => "INTJ",
            Upos::Noun => "NOUN",
            Upos::Num => "NUM",
            Upos::Part => "PART",
            Upos::Pron => "PRON",
            Upos::Propn => "PROPN",
            Upos::Punct => "PUNCT",
            Upos::Sconj => "SCONJ",
            Upos::Sym => "SYM",
            Upos::Verb => "VERB",
            Upos::X => "X",
        }
    }

    /// The tag with this UD name, if it is one of the 17.
    pub fn parse(name: &str) -> Option<Upos> {
        Upos::ALL.into_iter().find(|upos| upos.as_str() == name)
    }
}

macro_rules! dep_rels {
    ($($variant:ident = $name:literal, $base:ident, $doc:literal;)*) => {
        /// A Universal Dependencies relation, with the English subtypes the English Web
        /// Treebank uses (`nsubj:pass`, `obl:tmod`, ...).
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum DepRel {
            $(#[doc = $doc] $variant,)*
            /// An unspecified dependency (also the relation of a token not analysed).
            #[default]
            Dep,
        }

        impl DepRel {
            /// Every relation, in the order of the enum.
            pub const ALL: &'static [DepRel] = &[$(DepRel::$variant,)* DepRel::Dep];

            /// The UD name, with its subtype ("nsubj:pass").
            pub fn as_str(self) -> &'static str {
                match self {
                    $(DepRel::$variant => $name,)*
                    DepRel::Dep => "dep",
                }
            }

            /// The universal relation without its subtype (`NsubjPass` -> `Nsubj`), as the
            /// CoNLL 2018 scorer compares them.
            pub fn base(self) -> DepRel {
                match self {
                    $(DepRel::$variant => DepRel::$base,)*
                    DepRel::Dep => DepRel::Dep,
                }
            }
        }
    };
}

dep_rels! {
    Acl = "acl", Acl, "Adnominal clause.";
    AclRelcl = "acl:relcl", Acl, "Relative clause.";
    Advcl = "advcl", Advcl, "Adverbial clause.";
    AdvclRelcl = "advcl:relcl", Advcl, "Sentential relative clause.";
    Advmod = "advmod", Advmod, "Adverbial modifier.";
    Amod = "amod", Amod, "Adjectival modifier.";
    Appos = "appos", Appos, "Appositional modifier.";
    Aux = "aux", Aux, "Auxiliary.";
    AuxPass = "aux:pass", Aux, "Passive auxiliary.";
    Case = "case", Case, "Case marking (a preposition).";
    Cc = "cc", Cc, "Coordinating conjunction.";
    CcPreconj = "cc:preconj", Cc, "Preconjunct (\"either\", \"both\").";
    Ccomp = "ccomp", Ccomp, "Clausal complement.";
    Clf = "clf", Clf, "Classifier.";
    Compound = "compound", Compound, "Compound.";
    CompoundPrt = "compound:prt", Compound, "Phrasal verb particle.";
    Conj = "conj", Conj, "Conjunct.";
    Cop = "cop", Cop, "Copula.";
    Csubj = "csubj", Csubj, "Clausal subject.";
    CsubjOuter = "csubj:outer", Csubj, "Outer clausal subject.";
    CsubjPass = "csubj:pass", Csubj, "Clausal passive subject.";
    Det = "det", Det, "Determiner.";
    DetPredet = "det:predet", Det, "Predeterminer.";
    Discourse = "discourse", Discourse, "Discourse element.";
    Dislocated = "dislocated", Dislocated, "Dislocated element.";
    Expl = "expl", Expl, "Expletive.";
    Fixed = "fixed", Fixed, "Fixed multiword expression.";
    Flat = "flat", Flat, "Flat multiword expression (names).";
    FlatForeign = "flat:foreign", Flat, "Foreign words.";
    Goeswith = "goeswith", Goeswith, "Goes with (a split word).";
    Iobj = "iobj", Iobj, "Indirect object.";
    List = "list", List, "List.";
    Mark = "mark", Mark, "Subordinating marker.";
    Nmod = "nmod", Nmod, "Nominal modifier.";
    NmodDesc = "nmod:desc", Nmod, "Descriptive nominal modifier (a title before a name).";
    NmodNpmod = "nmod:npmod", Nmod, "Noun phrase as adverbial modifier of a nominal.";
    NmodPoss = "nmod:poss", Nmod, "Possessive nominal modifier.";
    NmodTmod = "nmod:tmod", Nmod, "Temporal nominal modifier of a nominal.";
    NmodUnmarked = "nmod:unmarked", Nmod, "Nominal modifier without a case marker.";
    Nsubj = "nsubj", Nsubj, "Nominal subject.";
    NsubjOuter = "nsubj:outer", Nsubj, "Outer nominal subject.";
    NsubjPass = "nsubj:pass", Nsubj, "Passive nominal subject.";
    Nummod = "nummod", Nummod, "Numeric modifier.";
    Obj = "obj", Obj, "Object.";
    Obl = "obl", Obl, "Oblique nominal (\"to X\", \"from X\").";
    OblAgent = "obl:agent", Obl, "Agent of a passive (\"by X\").";
    OblNpmod = "obl:npmod", Obl, "Noun phrase as adverbial modifier.";
    OblTmod = "obl:tmod", Obl, "Temporal oblique.";
    OblUnmarked = "obl:unmarked", Obl, "Oblique without a case marker.";
    Orphan = "orphan", Orphan, "Orphan in an ellipsis.";
    Parataxis = "parataxis", Parataxis, "Parataxis.";
    Punct = "punct", Punct, "Punctuation.";
    Reparandum = "reparandum", Reparandum, "Overridden disfluency.";
    Root = "root", Root, "The root of the sentence.";
    Vocative = "vocative", Vocative, "Vocative.";
    Xcomp = "xcomp", Xcomp, "Open clausal complement.";
}

impl DepRel {
    /// The relation with this UD name; an unknown subtype falls back to its universal
    /// relation and an unknown relation to [`DepRel::Dep`].
    pub fn parse(name: &str) -> DepRel {
        if let Some(rel) = DepRel::ALL.iter().find(|rel| rel.as_str() == name) {
            return *rel;
        }
        match name.split_once(':') {
            Some((base, _)) => DepRel::parse(base),
            None => DepRel::Dep,
        }
    }
}

/// The syntax of one token: part of speech, lemma and its arc in the dependency tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenSyntax {
    /// The universal part of speech.
    pub upos: Upos,
    /// The Penn Treebank tag ("VBD", "NNS"), as the English Web Treebank writes it.
    pub xpos: &'static str,
    /// Morphological features derived from the Penn tag, in CoNLL-U form
    /// ("Tense=Past|VerbForm=Fin"), or "_" for none.
    pub feats: &'static str,
    /// The lemma ("be" for "was"; proper nouns keep their case).
    pub lemma: String,
    /// The index of the head token in [`Document::tokens`], or [`TokenSyntax::ROOT`] for
    /// the root of its sentence. Heads never leave the sentence.
    pub head: u32,
    /// The relation to the head.
    pub deprel: DepRel,
}

impl TokenSyntax {
    /// The value of [`TokenSyntax::head`] for the root of a sentence.
    pub const ROOT: u32 = u32::MAX;
}

/// The type of an entity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EntityType {
    /// A person.
    Person,
    /// A company, party, ministry or other organization.
    Org,
    /// An intergovernmental organization (NATO, UN).
    Igo,
    /// A non-state armed group.
    ArmedGroup,
    /// A news outlet.
    Media,
    /// A country or territory.
    Country,
    /// A region, subdivision or city.
    Location,
    /// A group named by a common noun that acts ("protesters", "Israeli soldiers").
    Agent,
    /// Anything else, by its upper-case name.
    Other(String),
}

impl EntityType {
    /// The upper-case name the JSON contract uses.
    pub fn as_str(&self) -> &str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Igo => "IGO",
            EntityType::ArmedGroup => "ARMED_GROUP",
            EntityType::Media => "MEDIA",
            EntityType::Country => "COUNTRY",
            EntityType::Location => "LOCATION",
            EntityType::Agent => "AGENT",
            EntityType::Other(name) => name,
        }
    }
}

/// How an entity is mentioned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// By name ("Mark Rutte").
    Name,
    /// By a description ("the secretary-general").
    Nominal,
    /// By a pronoun ("he").
    Pronoun,
    /// By a demonym or adjective ("Dutch").
    Demonym,
    /// By a place that stands for it ("Moscow" for Russia).
    Metonym,
}

impl MentionKind {
    /// The lower-case name the JSON contract uses.
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Nominal => "nominal",
            MentionKind::Pronoun => "pronoun",
            MentionKind::Demonym => "demonym",
            MentionKind::Metonym => "metonym",
        }
    }
}

/// One mention of an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Where (bytes).
    pub span: Span,
    /// How.
    pub kind: MentionKind,
}

/// A role an actor holds, with the dates it holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// "Secretary General", "President".
    pub title: String,
    /// The actor code of what the role is of ("NATO", "USA").
    pub of: Option<String>,
    /// First day in the role.
    pub from: Option<Date>,
    /// Last day in the role; `None` while it lasts.
    pub to: Option<Date>,
}

/// An actor of the article with all its mentions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// Its canonical name.
    pub name: String,
    /// Its type.
    pub entity_type: EntityType,
    /// Its own actor code (ISO 3166-1 alpha-3 for a country, "NATO").
    pub code: Option<String>,
    /// The country it belongs to (ISO3, or "IGO").
    pub country: Option<String>,
    /// Its CAMEO-style sector (GOV, MIL, REB, ...).
    pub sector: Option<String>,
    /// Its roles.
    pub roles: Vec<Role>,
    /// Its mentions, sorted by start.
    pub mentions: Vec<Mention>,
}

/// What kind of quotation a [`Quote`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    /// A whole quoted passage.
    Direct,
    /// A quoted fragment inside a reported sentence.
    Partial,
    /// Reported speech without quote marks.
    Indirect,
}

impl QuoteKind {
    /// The lower-case name the JSON contract uses.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// A quotation or reported statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The quoted content (bytes), without the marks.
    pub span: Span,
    /// Direct, partial or indirect.
    pub kind: QuoteKind,
    /// Index of the speaker in [`Document::entities`].
    pub speaker: Option<u32>,
    /// Index of the addressee in [`Document::entities`].
    pub addressee: Option<u32>,
    /// The cue ("he said").
    pub cue: Option<Span>,
}

/// Whether an event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modality {
    /// Reported as having happened or happening.
    Asserted,
    /// Conditional, speculative or feared.
    Hypothetical,
    /// Reported as not having happened.
    Negated,
    /// Planned or scheduled.
    Future,
}

impl Modality {
    /// The lower-case name the JSON contract uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Hypothetical => "hypothetical",
            Modality::Negated => "negated",
            Modality::Future => "future",
        }
    }
}

/// A coded event: who did what to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// PLOVER type ("AID").
    pub event_type: String,
    /// PLOVER mode ("military").
    pub mode: Option<String>,
    /// CAMEO code ("07").
    pub cameo: Option<String>,
    /// Indices of the source actors in [`Document::entities`].
    pub source: Vec<u32>,
    /// Indices of the target actors in [`Document::entities`].
    pub target: Vec<u32>,
    /// Whether it happened.
    pub modality: Modality,
    /// Index of the entity that claims it, when it is reported speech.
    pub reported_by: Option<u32>,
    /// When, TIMEX3 value.
    pub date: Option<String>,
    /// Index of the place entity.
    pub location: Option<u32>,
    /// The trigger word or phrase.
    pub trigger: Span,
    /// Index of its sentence in [`Document::sentences`].
    pub sentence: u32,
}

/// The TIMEX3 type of a time expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimexType {
    /// A calendar date or period.
    Date,
    /// A time of day.
    Time,
    /// A length of time.
    Duration,
    /// A recurrence.
    Set,
}

impl TimexType {
    /// The upper-case name the JSON contract uses.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A normalized time expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timex {
    /// Where (bytes).
    pub span: Span,
    /// DATE, TIME, DURATION or SET.
    pub timex_type: TimexType,
    /// TIMEX3 value ("2024-11-22", "P3Y").
    pub value: String,
}

/// Something odd a stage noticed in the text, which did not stop it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stage that noticed it.
    pub stage: &'static str,
    /// Where (bytes), when it has a place.
    pub span: Option<Span>,
    /// What, in lower case without a final period.
    pub message: String,
}

/// An article's clean text and its annotation layers.
///
/// Created from an [`Article`] with the text as the source gave it; the `clean` stage
/// replaces [`Document::text`] with the clean text before any span is taken, so every
/// span of every layer indexes the clean text.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The article's metadata. Its `text` is empty: the text moved into
    /// [`Document::text`] when the document was created.
    pub article: Article,
    /// The text every span indexes (the clean text once `clean` has run).
    pub text: String,
    /// Lines `clean` removed.
    pub removed: Vec<Removal>,
    /// Tokens, in text order.
    pub tokens: Vec<Token>,
    /// Sentences, in text order, not overlapping.
    pub sentences: Vec<Sentence>,
    /// The syntax layer: one entry per token, parallel to [`Document::tokens`] (empty
    /// until the `syntax` stage has run).
    pub syntax: Vec<TokenSyntax>,
    /// Entities, in order of first mention.
    pub entities: Vec<Entity>,
    /// Time expressions, in text order.
    pub times: Vec<Timex>,
    /// Quotes, in text order.
    pub quotes: Vec<Quote>,
    /// Events, in text order of their triggers.
    pub events: Vec<Event>,
    /// What the stages noticed.
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// The largest text a document can hold: spans are `u32` byte offsets.
    pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

    /// A document holding the article's text and no annotation yet.
    ///
    /// A text longer than [`Document::MAX_TEXT_BYTES`] is cut at the last char boundary
    /// below that limit, with a diagnostic, so that spans always fit in `u32`.
    pub fn new(mut article: Article) -> Document {
        // The text moves into the document rather than being copied: a 100 MB article
        // would otherwise sit in memory twice.
        let mut text = std::mem::take(&mut article.text);
        let mut diagnostics = Vec::new();
        if text.len() > Document::MAX_TEXT_BYTES {
            let mut cut = Document::MAX_TEXT_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            diagnostics.push(Diagnostic {
                stage: "document",
                span: None,
                message: format!("text longer than {} bytes was cut", Document::MAX_TEXT_BYTES),
            });
        }
        Document { article, text, diagnostics, ..Document::default() }
    }

    /// The text a span covers.
    ///
    /// # Panics
    /// When the span is not on char boundaries inside the text; the stages only make
    /// spans that are.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The tokens of one sentence.
    pub fn sentence_tokens(&self, sentence: &Sentence) -> &[Token] {
        &self.tokens[sentence.first_token as usize..sentence.end_token as usize]
    }
}
