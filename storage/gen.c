/*
 * Synthetic users and friendships for benchmarks. Everything comes from one
 * splitmix64 stream per call, so a seed names a dataset. Rows go in through
 * prepared statements in transactions of BATCH rows; no password hashing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "storage/gen-int.h"
#include "storage/gen.h"
#include "storage/social-int.h"
#include "storage/social.h"
#include "storage/store.h"

#define BATCH		10000
#define GEN_EPOCH	1700000000	/* a fixed "now", so the data do not depend on the day */
#define GEN_SPAN	(3 * 365 * 86400)

/* ---- vocabulary -------------------------------------------------------------- */

/* A name as typed in a username, and as shown. */
struct name {
	const char	*ascii;
	const char	*shown;
};
#define N(a, s)	{ a, s }

static const struct name en_first[] = {
	N("james", "James"), N("mary", "Mary"), N("john", "John"), N("patricia", "Patricia"),
	N("robert", "Robert"), N("jennifer", "Jennifer"), N("michael", "Michael"),
	N("linda", "Linda"), N("william", "William"), N("elizabeth", "Elizabeth"),
	N("david", "David"), N("barbara", "Barbara"), N("richard", "Richard"),
	N("susan", "Susan"), N("joseph", "Joseph"), N("jessica", "Jessica"),
	N("thomas", "Thomas"), N("sarah", "Sarah"), N("charles", "Charles"),
	N("karen", "Karen"), N("chris", "Chris"), N("nancy", "Nancy"), N("daniel", "Daniel"),
	N("lisa", "Lisa"), N("matthew", "Matthew"), N("betty", "Betty"), N("anthony", "Anthony"),
	N("margaret", "Margaret"), N("mark", "Mark"), N("sandra", "Sandra"),
	N("donald", "Donald"), N("ashley", "Ashley"), N("steven", "Steven"),
	N("kimberly", "Kimberly"), N("paul", "Paul"), N("emily", "Emily"),
	N("andrew", "Andrew"), N("donna", "Donna"), N("joshua", "Joshua"),
	N("michelle", "Michelle"), N("kevin", "Kevin"), N("carol", "Carol"),
	N("brian", "Brian"), N("amanda", "Amanda"), N("george", "George"),
	N("melissa", "Melissa"), N("tim", "Tim"), N("deborah", "Deborah"), N("ron", "Ron"),
	N("alice", "Alice"), N("bob", "Bob"), N("eve", "Eve"), N("mallory", "Mallory"),
	N("trent", "Trent"), N("peggy", "Peggy"), N("victor", "Victor"), N("grace", "Grace"),
	N("ada", "Ada"), N("alan", "Alan"), N("dennis", "Dennis"), N("ken", "Ken"),
	N("linus", "Linus"), N("richie", "Richie"), N("margo", "Margo"), N("max", "Max"),
	N("sam", "Sam"), N("alex", "Alex"), N("jordan", "Jordan"), N("taylor", "Taylor"),
	N("morgan", "Morgan"), N("casey", "Casey"), N("riley", "Riley"), N("quinn", "Quinn"),
	N("olivia", "Olivia"), N("liam", "Liam"), N("emma", "Emma"), N("noah", "Noah"),
	N("ava", "Ava"), N("ethan", "Ethan"), N("mia", "Mia"), N("lucas", "Lucas"),
	N("harper", "Harper"), N("mason", "Mason"), N("ella", "Ella"), N("logan", "Logan"),
};

static const struct name en_last[] = {
	N("smith", "Smith"), N("johnson", "Johnson"), N("williams", "Williams"),
	N("brown", "Brown"), N("jones", "Jones"), N("miller", "Miller"), N("davis", "Davis"),
	N("wilson", "Wilson"), N("anderson", "Anderson"), N("taylor", "Taylor"),
	N("thomas", "Thomas"), N("moore", "Moore"), N("jackson", "Jackson"),
	N("martin", "Martin"), N("lee", "Lee"), N("thompson", "Thompson"), N("white", "White"),
	N("harris", "Harris"), N("clark", "Clark"), N("lewis", "Lewis"),
	N("robinson", "Robinson"), N("walker", "Walker"), N("young", "Young"),
	N("allen", "Allen"), N("king", "King"), N("wright", "Wright"), N("scott", "Scott"),
	N("hill", "Hill"), N("green", "Green"), N("adams", "Adams"), N("baker", "Baker"),
	N("nelson", "Nelson"), N("carter", "Carter"), N("mitchell", "Mitchell"),
	N("roberts", "Roberts"), N("turner", "Turner"), N("phillips", "Phillips"),
	N("campbell", "Campbell"), N("parker", "Parker"), N("evans", "Evans"),
	N("edwards", "Edwards"), N("collins", "Collins"), N("stewart", "Stewart"),
	N("morris", "Morris"), N("murphy", "Murphy"), N("cook", "Cook"), N("rogers", "Rogers"),
	N("morgan", "Morgan"), N("cooper", "Cooper"), N("peterson", "Peterson"),
	N("reed", "Reed"), N("bailey", "Bailey"), N("bell", "Bell"), N("kelly", "Kelly"),
	N("howard", "Howard"), N("ward", "Ward"), N("cox", "Cox"), N("richardson", "Richardson"),
	N("wood", "Wood"), N("watson", "Watson"), N("brooks", "Brooks"), N("bennett", "Bennett"),
	N("gray", "Gray"), N("hughes", "Hughes"), N("price", "Price"), N("sanders", "Sanders"),
	N("lovelace", "Lovelace"), N("turing", "Turing"), N("hopper", "Hopper"),
	N("ritchie", "Ritchie"), N("thompson", "Thompson"), N("kernighan", "Kernighan"),
};

static const struct name eu_first[] = {
	N("jose", "José"), N("zoe", "Zoë"), N("lukasz", "Łukasz"), N("soren", "Søren"),
	N("ayse", "Ayşe"), N("francois", "François"), N("bjorn", "Björn"),
	N("jurgen", "Jürgen"), N("andre", "André"), N("noemi", "Noémi"), N("ines", "Inês"),
	N("joao", "João"), N("malgorzata", "Małgorzata"), N("zoltan", "Zoltán"),
	N("agnes", "Ágnes"), N("renee", "Renée"), N("helene", "Hélène"), N("jiri", "Jiří"),
	N("tomas", "Tomáš"), N("mate", "Máté"), N("asa", "Åsa"), N("orjan", "Örjan"),
	N("raphael", "Raphaël"), N("celine", "Céline"), N("nuria", "Núria"),
	N("sergio", "Sergio"), N("lucia", "Lucía"), N("pablo", "Pablo"), N("marta", "Marta"),
	N("giulia", "Giulia"), N("marco", "Marco"), N("luca", "Luca"), N("anna", "Anna"),
	N("jan", "Jan"), N("eva", "Eva"), N("lars", "Lars"), N("ingrid", "Ingrid"),
	N("mehmet", "Mehmet"), N("cagla", "Çağla"), N("dario", "Darío"), N("angel", "Ángel"),
};

static const struct name eu_last[] = {
	N("garcia", "García"), N("muller", "Müller"), N("nowak", "Nowak"),
	N("yilmaz", "Yılmaz"), N("dubois", "Dubois"), N("lefevre", "Lefèvre"),
	N("schafer", "Schäfer"), N("kowalski", "Kowalski"), N("wisniewski", "Wiśniewski"),
	N("rodriguez", "Rodríguez"), N("martinez", "Martínez"), N("lopez", "López"),
	N("gonzalez", "González"), N("fernandez", "Fernández"), N("rossi", "Rossi"),
	N("russo", "Russo"), N("ferrari", "Ferrari"), N("esposito", "Esposito"),
	N("jensen", "Jensen"), N("nielsen", "Nielsen"), N("hansen", "Hansen"),
	N("johansson", "Johansson"), N("andersson", "Andersson"), N("nagy", "Nagy"),
	N("horvath", "Horváth"), N("novak", "Novák"), N("dvorak", "Dvořák"),
	N("silva", "Silva"), N("santos", "Santos"), N("oliveira", "Oliveira"),
	N("pereira", "Pereira"), N("costa", "Costa"), N("ozturk", "Öztürk"),
	N("celik", "Çelik"), N("sahin", "Şahin"), N("weiss", "Weiß"), N("bauer", "Bauer"),
	N("fischer", "Fischer"), N("becker", "Becker"), N("hoffmann", "Hoffmann"),
};

static const struct name ru_first[] = {
	N("dmitri", "Дмитрий"), N("olga", "Ольга"), N("ivan", "Иван"), N("anna", "Анна"),
	N("sergei", "Сергей"), N("natalia", "Наталья"), N("alexei", "Алексей"),
	N("elena", "Елена"), N("mikhail", "Михаил"), N("tatiana", "Татьяна"),
	N("andrei", "Андрей"), N("irina", "Ирина"), N("nikolai", "Николай"),
	N("svetlana", "Светлана"), N("pavel", "Павел"), N("maria", "Мария"),
};

static const struct name ru_last[] = {
	N("ivanov", "Иванов"), N("petrov", "Петров"), N("sidorov", "Сидоров"),
	N("smirnov", "Смирнов"), N("kuznetsov", "Кузнецов"), N("popov", "Попов"),
	N("volkov", "Волков"), N("sokolov", "Соколов"), N("lebedev", "Лебедев"),
	N("kozlov", "Козлов"), N("novikov", "Новиков"), N("morozov", "Морозов"),
};

static const struct name jp_first[] = {
	N("yuki", "由紀"), N("hiroshi", "博"), N("akira", "明"), N("haruka", "遥"),
	N("takeshi", "武"), N("yui", "結衣"), N("kenji", "健二"), N("sakura", "さくら"),
	N("ren", "蓮"), N("aoi", "葵"), N("daiki", "大輝"), N("mei", "芽衣"),
};

static const struct name jp_last[] = {
	N("tanaka", "田中"), N("suzuki", "鈴木"), N("sato", "佐藤"), N("takahashi", "高橋"),
	N("watanabe", "渡辺"), N("ito", "伊藤"), N("yamamoto", "山本"), N("nakamura", "中村"),
	N("kobayashi", "小林"), N("kato", "加藤"), N("yoshida", "吉田"), N("yamada", "山田"),
};

static const struct name zh_first[] = {
	N("wei", "伟"), N("fang", "芳"), N("min", "敏"), N("jing", "静"), N("li", "丽"),
	N("qiang", "强"), N("lei", "磊"), N("jun", "军"), N("yang", "洋"), N("yong", "勇"),
	N("yan", "艳"), N("jie", "杰"), N("tao", "涛"), N("ming", "明"), N("chao", "超"),
};

static const struct name zh_last[] = {
	N("wang", "王"), N("li", "李"), N("zhang", "张"), N("liu", "刘"), N("chen", "陈"),
	N("yang", "杨"), N("huang", "黄"), N("zhao", "赵"), N("wu", "吴"), N("zhou", "周"),
	N("xu", "徐"), N("sun", "孙"), N("ma", "马"), N("zhu", "朱"), N("hu", "胡"),
};

#define ARR(a)	a, sizeof a / sizeof a[0]

/* A script's names; family_first: shown as "last first" (Chinese, Japanese). */
static const struct script {
	const struct name	*first;
	size_t			 nfirst;
	const struct name	*last;
	size_t			 nlast;
	unsigned		 weight;	/* percent */
	bool			 family_first;
} scripts[] = {
	{ ARR(en_first), ARR(en_last), 66, false },
	{ ARR(eu_first), ARR(eu_last), 22, false },
	{ ARR(ru_first), ARR(ru_last), 4, false },
	{ ARR(jp_first), ARR(jp_last), 4, true },
	{ ARR(zh_first), ARR(zh_last), 4, true },
};

/* Handles: adjective + noun, the way people name themselves online. */
static const char *const handle_a[] = {
	"quiet", "lazy", "rusty", "tiny", "cosmic", "null", "dark", "happy", "grumpy", "sleepy",
	"retro", "pixel", "binary", "octal", "silent", "wild", "crimson", "neon", "void",
	"root", "kernel", "shell", "vim", "emacs", "tux", "daemon", "byte", "bit", "turbo",
};
static const char *const handle_n[] = {
	"penguin", "hacker", "wizard", "fox", "owl", "otter", "panda", "cat", "dog", "badger",
	"coder", "pointer", "segfault", "packet", "socket", "lambda", "monad", "gopher",
	"crab", "llama", "yak", "koala", "witch", "ninja", "pirate", "robot", "ghost", "moth",
};

static const char *const tags_vocab[] = {
	/* Roughly most to least popular; tag_pick favours the front. */
	"linux", "opensource", "vim", "rust", "c", "python", "networking", "security",
	"homelab", "selfhosting", "git", "bash", "emacs", "go", "debian", "arch", "privacy",
	"bsd", "openbsd", "freebsd", "kernel", "embedded", "electronics", "retro", "gaming",
	"music", "photography", "hiking", "cycling", "coffee", "tea", "keyboards", "tmux",
	"zsh", "docker", "kubernetes", "nix", "guix", "gentoo", "sqlite", "postgres", "ctf",
	"crypto", "haskell", "lisp", "math", "physics", "astronomy", "chess", "books", "scifi",
	"ham-radio", "3d-printing", "plan9", "forth", "assembly", "compilers", "databases",
};

static const char *const locations[] = {
	"Berlin, Germany", "Paris, France", "London, UK", "New York, USA",
	"San Francisco, USA", "Portland, USA", "Austin, USA", "Toronto, Canada",
	"Montréal, Canada", "São Paulo, Brazil", "Buenos Aires, Argentina", "Madrid, Spain",
	"Barcelona, Spain", "Lisbon, Portugal", "Kraków, Poland", "Warsaw, Poland",
	"Prague, Czechia", "Vienna, Austria", "Zürich, Switzerland", "Amsterdam, Netherlands",
	"Copenhagen, Denmark", "Stockholm, Sweden", "Oslo, Norway", "Helsinki, Finland",
	"Tallinn, Estonia", "Budapest, Hungary", "İstanbul, Türkiye", "Moscow, Russia",
	"Kyiv, Ukraine", "Tokyo, Japan", "Osaka, Japan", "Beijing, China", "Shanghai, China",
	"Seoul, South Korea", "Taipei, Taiwan", "Singapore", "Bangalore, India",
	"Sydney, Australia", "Melbourne, Australia", "Wellington, New Zealand",
	"Cape Town, South Africa", "Nairobi, Kenya", "Lagos, Nigeria", "Cairo, Egypt",
	"Mexico City, Mexico", "Bogotá, Colombia", "Lima, Peru", "Santiago, Chile",
	"Dublin, Ireland", "Edinburgh, UK", "Reykjavík, Iceland", "the internet",
	"somewhere in a terminal", "127.0.0.1",
};

static const char *const jobs[] = {
	"software engineer", "site reliability engineer", "kernel developer", "sysadmin",
	"network engineer", "security researcher", "embedded engineer", "student",
	"data engineer", "database administrator", "devops engineer", "researcher",
	"professor", "technical writer", "hobbyist", "retired programmer", "game developer",
	"firmware engineer", "compiler engineer", "consultant", "freelancer", "designer",
	"product manager", "support engineer", "penetration tester", "mathematician",
	"physicist", "electrician", "teacher", "librarian", "musician", "photographer",
	"open source maintainer", "CTO", "founder", "barista who codes",
};

static const char *const bio_lines[] = {
	/* %T a tag, %J a job, %L a location, %Y a year. */
	"Writing %T since %Y.", "Sysadmin by day, %T tinkerer by night.", "Based in %L.",
	"I maintain a few small %T projects.", "Coffee, terminals and long walks.",
	"Opinions are my own.", "Currently learning %T.", "**%T** enthusiast.",
	"Former %J, now %J.", "Ask me about %T.", "Mostly posting about %T and %T.",
	"Dotfiles enthusiast. `:wq`", "Building things with %T.",
	"Runs a homelab that is 90% cables.", "She/her.", "He/him.", "They/them.",
	"Breaking things in production since %Y.", "Part-time %J.",
	"Here for the %T posts.", "_Still_ looking for the perfect keyboard.",
	"Teaching %T to anyone who will listen.", "Reading about %T.",
	"Talk to me in %L.", "Maintainer of a %T mailing list nobody reads.",
};

static const char *
pick(struct rng *r, const char *const *v, size_t n)
{
	return v[rng_below(r, n)];
}

/* A tag, favouring the front of the vocabulary (squared uniform: about a power law). */
static const char *
tag_pick(struct rng *r)
{
	double u = rng_unit(r);

	return tags_vocab[(size_t)(u * u * (double)(sizeof tags_vocab / sizeof tags_vocab[0]))];
}

/* ---- one user ------------------------------------------------------------------ */

struct gen_user {
	char		 username[USERNAME_MAX + 1];
	struct buf	 display;
	struct buf	 bio;
	const char	*location;
	const char	*job;
	const char	*tags[5];
	size_t		 ntags;
	int		 privacy;
	int64_t		 created_at;
};

/* Append s to the username if it fits; false when it does not. */
static bool
uname_add(char *u, const char *s)
{
	size_t len = strlen(u), add = strlen(s);

	if (len + add > USERNAME_MAX)
		return false;
	memcpy(u + len, s, add + 1);
	return true;
}

static void
gen_username(struct rng *r, const struct name *first, const struct name *last, char *u)
{
	char	num[16];
	int	pat = (int)rng_below(r, 100);

	u[0] = '\0';
	if (pat < 12) {				/* handle */
		uname_add(u, pick(r, handle_a, sizeof handle_a / sizeof handle_a[0]));
		if (rng_pct(r, 50))
			uname_add(u, rng_pct(r, 50) ? "_" : "-");
		uname_add(u, pick(r, handle_n, sizeof handle_n / sizeof handle_n[0]));
	} else if (pat < 22) {			/* first */
		uname_add(u, first->ascii);
	} else if (pat < 45) {			/* firstlast */
		uname_add(u, first->ascii);
		uname_add(u, last->ascii);
	} else if (pat < 62) {			/* first_last, first-last */
		uname_add(u, first->ascii);
		uname_add(u, rng_pct(r, 60) ? "_" : "-");
		uname_add(u, last->ascii);
	} else if (pat < 80) {			/* flast */
		num[0] = first->ascii[0];
		num[1] = '\0';
		uname_add(u, num);
		uname_add(u, last->ascii);
	} else {				/* first + number */
		uname_add(u, first->ascii);
		snprintf(num, sizeof num, "%u", (unsigned)rng_below(r, 100));
		uname_add(u, num);
	}
}

static void
bio_line(struct rng *r, struct buf *b)
{
	const char *p = pick(r, bio_lines, sizeof bio_lines / sizeof bio_lines[0]);

	for (; *p != '\0'; p++) {
		if (*p != '%') {
			buf_addch(b, *p);
			continue;
		}
		switch (*++p) {
		case 'T':
			buf_adds(b, tag_pick(r));
			break;
		case 'J':
			buf_adds(b, pick(r, jobs, sizeof jobs / sizeof jobs[0]));
			break;
		case 'L':
			buf_adds(b, pick(r, locations, sizeof locations / sizeof locations[0]));
			break;
		case 'Y':
			buf_addf(b, "%u", 1985 + (unsigned)rng_below(r, 38));
			break;
		default:
			buf_addch(b, *p);
			break;
		}
	}
}

static void
gen_user(struct rng *r, struct gen_user *g)
{
	const struct script	*sc;
	const struct name	*first, *last;
	unsigned		 w = (unsigned)rng_below(r, 100), acc = 0;
	size_t			 i, j, nlines, ntags;

	for (sc = scripts; sc < scripts + sizeof scripts / sizeof scripts[0] - 1; sc++) {
		acc += sc->weight;
		if (w < acc)
			break;
	}
	first = &sc->first[rng_below(r, sc->nfirst)];
	last = &sc->last[rng_below(r, sc->nlast)];
	gen_username(r, first, last, g->username);

	buf_reset(&g->display);
	if (rng_pct(r, 10))
		buf_adds(&g->display, first->shown);
	else if (sc->family_first)
		buf_addf(&g->display, "%s %s", last->shown, first->shown);
	else
		buf_addf(&g->display, "%s %s", first->shown, last->shown);
	if (rng_pct(r, 3))
		buf_adds(&g->display, " \xf0\x9f\x90\xa7");	/* a penguin */

	buf_reset(&g->bio);
	nlines = rng_pct(r, 20) ? 0 : 1 + rng_below(r, 3);
	for (i = 0; i < nlines; i++) {
		if (i > 0)
			buf_adds(&g->bio, rng_pct(r, 20) ? "\n\n" : " ");
		bio_line(r, &g->bio);
	}
	g->location = rng_pct(r, 15) ? "" : pick(r, locations,
	    sizeof locations / sizeof locations[0]);
	g->job = rng_pct(r, 20) ? "" : pick(r, jobs, sizeof jobs / sizeof jobs[0]);

	w = (unsigned)rng_below(r, 100);
	ntags = w < 15 ? 0 : w < 35 ? 1 : w < 60 ? 2 : w < 80 ? 3 : w < 92 ? 4 : 5;
	g->ntags = 0;
	for (i = 0; i < ntags; i++) {
		const char *t = tag_pick(r);

		for (j = 0; j < g->ntags && strcmp(g->tags[j], t) != 0; j++)
			;
		if (j == g->ntags)
			g->tags[g->ntags++] = t;
	}
	w = (unsigned)rng_below(r, 100);
	g->privacy = w < 85 ? PRIVACY_PUBLIC : w < 95 ? PRIVACY_FRIENDS : PRIVACY_PRIVATE;
	g->created_at = GEN_EPOCH - (int64_t)rng_below(r, GEN_SPAN);
}

/* The statements of one batch, prepared once per call. */
enum {
	GS_USER,
	GS_TAG,
	GS_FTS,
	GS_N
};
static const char *const gen_sql[GS_N] = {
	[GS_USER] = "INSERT INTO users (username, display_name, created_at, bio, location, "
	    "job, privacy) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
	[GS_TAG] = "INSERT INTO user_tags (user_id, tag) VALUES (?, ?)",
	/* The same row store_user_index writes, from the values in hand. */
	[GS_FTS] = "INSERT INTO users_fts (rowid, username, display_name, bio, tags, "
	    "location, job) VALUES (?, ?, ?, ?, ?, ?, ?)",
};

/* Insert g; *insertedp false when the username was taken. */
static int
gen_insert(struct store *st, const struct gen_user *g, bool *insertedp)
{
	sqlite3_stmt	*stmt = NULL;
	struct buf	 tags = BUF_INIT;
	int64_t		 id;
	size_t		 i;
	int		 r;

	*insertedp = false;
	if ((r = stmt_get(st, gen_sql[GS_USER], &stmt)) != 0)
		return r;
	sqlite3_bind_text(stmt, 1, g->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, g->display.buf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, g->created_at);
	sqlite3_bind_text(stmt, 4, g->bio.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, g->location, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, g->job, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 7, g->privacy);
	r = stmt_done(st, stmt, "generate user");
	stmt_reset(stmt);
	if (r != 0 || sqlite3_changes(st->db) == 0)
		return r;
	id = sqlite3_last_insert_rowid(st->db);
	*insertedp = true;

	for (i = 0; i < g->ntags; i++) {
		if ((r = stmt_get(st, gen_sql[GS_TAG], &stmt)) != 0)
			goto out;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, g->tags[i], -1, SQLITE_STATIC);
		r = stmt_done(st, stmt, "generate tag");
		stmt_reset(stmt);
		if (r != 0)
			goto out;
		buf_addf(&tags, "%s%s", i > 0 ? " " : "", g->tags[i]);
	}
	if ((r = stmt_get(st, gen_sql[GS_FTS], &stmt)) != 0)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, g->username, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, g->display.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, g->bio.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, tags.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, g->location, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, g->job, -1, SQLITE_STATIC);
	r = stmt_done(st, stmt, "generate index row");
	stmt_reset(stmt);
 out:
	buf_release(&tags);
	return r;
}

int
store_gen_users(struct store *st, size_t n, uint64_t seed)
{
	struct rng	 rng = { seed };
	struct gen_user	 g = { .display = BUF_INIT, .bio = BUF_INIT };
	char		 suffix[16];
	size_t		 done = 0, tries;
	bool		 in_txn = false, inserted;
	int		 r = 0;

	while (done < n) {
		if (!in_txn) {
			if ((r = store_begin(st)) != 0)
				goto out;
			in_txn = true;
		}
		gen_user(&rng, &g);
		/* A taken name gets digits, as people do; the checks only guard the generator. */
		for (tries = 0; ; tries++) {
			if (username_check(g.username, NULL, 0) == 0) {
				if ((r = gen_insert(st, &g, &inserted)) != 0)
					goto out;
				if (inserted)
					break;
			}
			if (tries == 20) {
				log_error("store: gen: no free name near '%s'", g.username);
				r = ERR_INTERNAL;
				goto out;
			}
			snprintf(suffix, sizeof suffix, "%u",
			    (unsigned)rng_below(&rng, tries < 5 ? 100 : 100000));
			g.username[USERNAME_MAX - strlen(suffix)] = '\0';
			uname_add(g.username, suffix);
		}
		if (++done % BATCH == 0) {
			if ((r = store_commit(st)) != 0)
				goto out;
			in_txn = false;
		}
	}
	if (in_txn) {
		if ((r = store_commit(st)) != 0)
			goto out;
		in_txn = false;
	}
 out:
	if (in_txn)
		store_rollback(st);
	buf_release(&g.display);
	buf_release(&g.bio);
	return r;
}

/* ---- friendships ------------------------------------------------------------ */

/*
 * Random inserts into two big B-trees (the friendships key and its reverse
 * index) miss SQLite's default 2 MB page cache on almost every row: 500,000
 * pairs took 21 s, mostly in the kernel reading pages back, against 8.5 s
 * with a 64 MB cache while generating. *oldp gets the size to restore.
 */
static int
gen_cache(struct store *st, int64_t size, int64_t *oldp)
{
	sqlite3_stmt	*stmt = NULL;
	char		 sql[64];
	int		 r;

	if (oldp != NULL) {
		if ((r = stmt_get(st, "PRAGMA cache_size", &stmt)) != 0)
			return r;
		if ((r = stmt_row(st, stmt, "read cache size")) == 1)
			*oldp = sqlite3_column_int64(stmt, 0);
		stmt_reset(stmt);
		if (r != 1)
			return r == 0 ? store_db_error(st, "read cache size") : r;
	}
	/* A pragma's value cannot be bound; this is our own number, as in migrate_step. */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)size);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(st, "set cache size");
	return 0;
}

static int
load_ids(struct store *st, int64_t **idsp, size_t *np)
{
	sqlite3_stmt	*stmt = NULL;
	size_t		 alloc = 0;
	int		 r;

	*idsp = NULL;
	*np = 0;
	if ((r = stmt_get(st, "SELECT id FROM users ORDER BY id", &stmt)) != 0)
		return r;
	while ((r = stmt_row(st, stmt, "list user ids")) == 1) {
		if (*np == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			*idsp = xreallocarray(*idsp, alloc, sizeof **idsp);
		}
		(*idsp)[(*np)++] = sqlite3_column_int64(stmt, 0);
	}
	stmt_reset(stmt);
	return r;
}

int
store_gen_friendships(struct store *st, size_t n_pairs, uint64_t seed)
{
	struct rng	 rng = { seed };
	sqlite3_stmt	*stmt = NULL;
	int64_t		*ids = NULL, a, b, cache = 0;
	size_t		 n, done = 0, attempts = 0, batch = 0;
	double		 u;
	bool		 in_txn = false;
	int		 r;

	if ((r = gen_cache(st, -65536, &cache)) != 0)
		goto out;
	if ((r = load_ids(st, &ids, &n)) != 0)
		goto out;
	if (n < 2 || n_pairs > n / 2 * (n - 1)) {
		r = ERR_INVALID;
		goto out;
	}
	while (done < n_pairs) {
		/* Dense graphs would take forever to fill by chance: give up loudly instead. */
		if (++attempts > 4 * n_pairs + 1000) {
			log_error("store: gen: %zu of %zu friendships after %zu attempts", done,
			    n_pairs, attempts - 1);
			r = ERR_INVALID;
			goto out;
		}
		if (!in_txn) {
			if ((r = store_begin(st)) != 0)
				goto out;
			in_txn = true;
		}
		/*
		 * One end squared-uniform: the first users collect a long tail of
		 * friends (the top one about 0.3% of all ends), like early and
		 * popular accounts do; the other end uniform.
		 */
		u = rng_unit(&rng);
		a = ids[(size_t)(u * u * (double)n)];
		b = ids[rng_below(&rng, n)];
		if (a == b)
			continue;
		if ((r = stmt_get(st, "INSERT INTO friendships (user_id, friend_id, since) "
		    "VALUES (?1, ?2, ?3), (?2, ?1, ?3) ON CONFLICT DO NOTHING", &stmt)) != 0)
			goto out;
		sqlite3_bind_int64(stmt, 1, a);
		sqlite3_bind_int64(stmt, 2, b);
		sqlite3_bind_int64(stmt, 3, GEN_EPOCH - (int64_t)rng_below(&rng, GEN_SPAN));
		r = stmt_done(st, stmt, "generate friendship");
		stmt_reset(stmt);
		if (r != 0)
			goto out;
		if (sqlite3_changes(st->db) == 0)
			continue;
		done++;
		if ((batch += 2) >= BATCH) {
			if ((r = store_commit(st)) != 0)
				goto out;
			in_txn = false;
			batch = 0;
		}
	}
	if (in_txn) {
		if ((r = store_commit(st)) != 0)
			goto out;
		in_txn = false;
	}
 out:
	if (in_txn)
		store_rollback(st);
	if (cache != 0)
		gen_cache(st, cache, NULL);
	free(ids);
	return r;
}
