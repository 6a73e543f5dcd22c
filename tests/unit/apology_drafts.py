"""A labelled set of apology drafts, written for this check in many voices: 30 that a good
editor would let through and 30 that hold at least one non-apology (a conditional or vague
sorry, "sorry, but", a passive "mistakes were made", blame on the brand, a team, the algorithm
or the audience, or a denial). ``measure()`` gives the check's precision and recall on them.

A draft is flagged when the check finds any non-apology in it. Precision: of the drafts flagged,
how many hold one; recall: of the drafts that hold one, how many are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.apology.check import check_draft

GOOD = "good"
BAD = "bad"

DRAFTS: tuple[tuple[str, str], ...] = (
    # --- good: they own it, whatever their voice ---------------------------------------------
    (GOOD, "I owe you an apology. I promoted FitFuel's protein powder without saying clearly "
           "that I was paid, and that was my choice and it was wrong. I've added #ad to every "
           "post about it. I'm sorry. From now on, every sponsorship is labelled up front."),
    (GOOD, "Hey fam. I messed up. I recommended the Glow serum before I'd used it for more than "
           "a week, and a lot of you got rashes. If you bought it because of me, DM me and I'll "
           "help you get a refund. I'm so sorry. I'll only talk about products I've used for "
           "months."),
    (GOOD, "I'm not going to say \"sorry if anyone was offended\". You were misled, by me. I "
           "took the deal because I needed the money, and I let that decide. The videos are "
           "down. I'm sorry, and it won't happen again."),
    (GOOD, "Parents, please stop using the DreamNest sleep pod now. It has been recalled: the "
           "official notice is on the manufacturer's site. I recommended it, so this is on me. "
           "I'm truly sorry. I'll help anyone who needs the refund form."),
    (GOOD, "I made the mistake. I tried the shake, disliked it, and promoted it anyway because "
           "the fee was good. I'm sorry. The post is down and I'm donating the fee."),
    (GOOD, "A statement about my recent sponsored content. I take full responsibility for "
           "repeating health claims I could not back up. I have corrected the caption and "
           "removed the claims. I apologise. In future I will not repeat a claim I cannot "
           "check."),
    (GOOD, "ok so. i didn't label the vpn video as an ad. that's on me, not on anyone else. "
           "it's labelled now. sorry guys. every sponsored video will say so in the first ten "
           "seconds from now on"),
    (GOOD, "I won't blame the brand, and I won't blame the algorithm. I chose to post it. "
           "I'm sorry. I have taken the reel down and I'll reply to every message about it."),
    (GOOD, "Some of you said it felt like an ad pretending not to be one. You were right. I "
           "was paid and I didn't say so. My apologies. Going forward, #ad goes first."),
    (GOOD, "I got this wrong. I promoted the supplement before I had checked what was in it. "
           "I'm sorry. If you bought it, message me and I will personally help you get your "
           "money back. I'm publishing my sponsorship rules next week."),
    (GOOD, "To my subscribers: I was wrong to accept the CryptoMax deal. The truth is I didn't "
           "understand the product. I've taken the video down. I deeply regret it, and I will "
           "never again promote a financial product."),
    (GOOD, "I'm sorry. No excuses. I promoted a mattress I had slept on for two nights. The "
           "post is now marked as an ad and I'll share what I really sleep on."),
    (GOOD, "Quick one: I shouldn't have posted that skincare reel without the ad label. My "
           "fault. Label's on now. Sorry, and thank you for calling it out. Next time it'll be "
           "there from the start."),
    (GOOD, "Dear community, I apologise. I let you down by recommending the blender before "
           "testing it properly, because I wanted the partnership. I have asked the brand to "
           "refund anyone who bought it through my code. From now on, I test for a month."),
    (GOOD, "People told me the earbuds broke in a week. They did, and I had only used mine for "
           "three days. That was my decision. I'm sorry. I'm taking the video down today and "
           "I'll post an honest follow-up."),
    (GOOD, "Je suis désolée, I am sorry. I promoted the cream without saying I was paid. My "
           "mistake. I have edited the post to say it is an ad. I will always say it from now "
           "on."),
    (GOOD, "I'd rather not hide behind 'mistakes were made'. I made them. I took money from a "
           "brand I didn't believe in. I'm sorry. The videos are gone and I'm refunding anyone "
           "who bought the course through my link."),
    (GOOD, "Gamers, I owe you one. I hyped the Nova headset without telling you I was "
           "sponsored. That's on me. I'm sorry. I've pinned a correction and every sponsored "
           "stream will have the ad tag from now on."),
    (GOOD, "I was paid to promote the tea, and I said it helps you lose weight. It doesn't, "
           "and I had no proof. I take responsibility. I'm sorry. I've deleted the posts and I "
           "won't make health claims again."),
    (GOOD, "Many of you asked why the post wasn't labelled. It wasn't labelled because I "
           "didn't label it. I'm sorry. It's labelled now, and it will be every time."),
    (GOOD, "I know some of you felt misled, and you were right to. I promoted something I "
           "hadn't tried. I apologize. The content is down and I will answer every email."),
    (GOOD, "Not going to blame my editor for this: I approved the upload. I'm sorry I left "
           "the ad label off. It's on now. Going forward I check every sponsored caption "
           "myself."),
    (GOOD, "Sorry. That's the first word and it isn't enough, so here's the rest. I recommended "
           "the car seat and it has been recalled. Stop using it now. The recall notice is on "
           "the brand's website. It was my recommendation and I'm responsible for it."),
    (GOOD, "Hi everyone, I want to own something. I posted about the meal kits for the money "
           "and didn't mention it was sponsored. I am sorry. I have marked it as an ad and I "
           "will only partner with brands I already use."),
    (GOOD, "I'm sorry for promoting Zest bars. I said they were sugar-free, and they aren't. "
           "That's my mistake, not a typo. I've corrected the post and I'll read labels myself "
           "in future."),
    (GOOD, "The brand sent me a script and I read it. That was my choice. I'm sorry I didn't "
           "use my own words or tell you I was paid. The video is down, and from now on I "
           "write my own scripts."),
    (GOOD, "You trusted me and I spent that trust on a paycheck. I'm ashamed of that. I'm "
           "sorry. The sponsored posts are down. I will only take deals for things I'd buy "
           "myself."),
    (GOOD, "I apologise for the undisclosed partnership with Lumen. I should have labelled "
           "it. It's been relabelled, and I will label every partnership clearly from today."),
    (GOOD, "I've seen your comments and I'm leaving them up. I promoted the serum without "
           "trying it. I'm truly sorry. If it hurt your skin, email me and I'll help with a "
           "refund. I'll only recommend what I've used for months."),
    (GOOD, "I'm sorry. I hid that it was an ad, and I hid it on purpose because I thought it "
           "would sell better. That was wrong and it was my decision. It's labelled now. Never "
           "again."),
    # --- bad: each has at least one non-apology -----------------------------------------------
    (BAD, "I'm sorry if anyone was offended by my videos. I only ever want to share what I "
          "love."),
    (BAD, "I apologize if my post came across the wrong way. It was never my intention."),
    (BAD, "If I offended anyone, I apologise. The product worked for me."),
    (BAD, "Sorry for any confusion about the sponsored post! It's labelled now."),
    (BAD, "I'm sorry, however the brand approved every word of the caption."),
    (BAD, "Errors were made in how the campaign was disclosed. We're reviewing our process."),
    (BAD, "I'm so sorry to anyone who felt misled by the video. I take this seriously."),
    (BAD, "The brand approved the caption, so I assumed it was fine. Sorry everyone."),
    (BAD, "My editor forgot to add the #ad tag. I'm sorry it went out like that."),
    (BAD, "I regret that some people took it the wrong way. The review was honest."),
    (BAD, "The brand never told me it had to be labelled. I'll be more careful."),
    (BAD, "The disclosure was left off. It has now been added."),
    (BAD, "I'm sorry you feel that way about the partnership. I stand by the product."),
    (BAD, "Mistakes were made, and I'm learning from them. Thank you for your patience."),
    (BAD, "I'm sorry, but some of you overreacted. It was one post."),
    (BAD, "Honestly it wasn't my fault, the agency handled the captions. Sorry guys."),
    (BAD, "To the haters: I'm done explaining. To everyone else, sorry for the mix-up."),
    (BAD, "My team dropped the ball on the disclosure. I'm sorry it happened."),
    (BAD, "The algorithm pushed the ad to people it wasn't meant for. Apologies to anyone "
          "upset."),
    (BAD, "It wasn't labelled as an ad, which is unfortunate. I'm sorry for that."),
    (BAD, "sorry if u felt lied to lol, the brand said it was fine to post without #ad"),
    (BAD, "I want to apologize to those who feel I let them down. I did nothing wrong "
          "legally, though."),
    (BAD, "I'm sorry. But the company assured me the claims were tested, so I believed them."),
    (BAD, "There was a miscommunication between me and the brand about the ad label. I "
          "apologise."),
    (BAD, "I take full responsibility. That said, my manager should have caught it before it "
          "went live."),
    (BAD, "Some of you misunderstood the video: I never said it cures anything. Sorry for the "
          "misunderstanding."),
    (BAD, "I'm sorry for how the post was received. I meant well."),
    (BAD, "I apologize for any inconvenience my recent sponsored content may have caused."),
    (BAD, "How was I supposed to know it had to be labelled? Anyway, it's fixed, sorry."),
    (BAD, "The hashtag was omitted by mistake. Apologies, it's been corrected."),
)


def excuse_heavy(length: int = 3500) -> str:
    """A long draft made of the set's non-apologies, as long as the coach accepts."""
    return (" ".join(text for label, text in DRAFTS if label == BAD) * 2)[:length]


@dataclass(frozen=True)
class Figures:
    true_positives: int
    false_positives: int
    false_negatives: int
    misses: tuple[tuple[str, str], ...]  # (label, draft) the check got wrong

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        bad = self.true_positives + self.false_negatives
        return self.true_positives / bad if bad else 1.0


def measure() -> Figures:
    """The check run over the labelled set."""
    tp = fp = fn = 0
    misses = []
    for label, text in DRAFTS:
        flagged = bool(check_draft(text).deflections)
        if flagged and label == BAD:
            tp += 1
        elif flagged:
            fp += 1
            misses.append((label, text))
        elif label == BAD:
            fn += 1
            misses.append((label, text))
    return Figures(tp, fp, fn, tuple(misses))
