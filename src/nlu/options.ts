import type { RankOptions } from './procedure-index.js';

/** Every threshold of understanding, in one place (tuned on test/nlu; see README "How it understands"). */
export interface NluOptions {
  rank: RankOptions;
  /** Below this intent probability a message is not understood (review list, out-of-scope answer). */
  confidenceThreshold: number;
  /** An FAQ written by officials wins over built-in answers from this cosine similarity up. */
  faqThreshold: number;
  procedure: {
    /** The ranker's probability from which the first candidate is answered outright... */
    answer: number;
    /** ...when it is at least this many times as likely as the second (the ambiguity margin)... */
    ratio: number;
    /** ...and the message matches it at least this well (index score) and names this share of it. */
    answerQuality: number;
    answerCoverage: number;
    /**
     * A long official name is rarely named in full: from this probability, this many times the second's and this
     * index score, the ranker's choice is answered whatever share of the name the message says.
     */
    sure: number;
    sureRatio: number;
    sureQuality: number;
    /**
     * ...matched on words weighing at least this much: with a small catalogue the words it does not know count for
     * nothing, and "xin giấy phép karaoke" (8.7) or "ly hôn thuận tình nộp đơn ở đâu" (14.1) leant on one shared word.
     */
    sureEvidence: number;
    /** A candidate is offered when asking "which one?" from this index score, and from this share of the first's probability. */
    offer: number;
    offerShare: number;
    /** ...and never below this probability (when the first was held down as "lần đầu"/"cấp lại", its share is tiny). */
    offerFloor: number;
    /**
     * Below this index score even the best option matches the message poorly ("giấy phép lao động cho người nước
     * ngoài", which the catalogue lacks): the bot still asks which one, but says it is unsure and how to reach an official.
     */
    weakOffer: number;
    /** From this probability of the procedure gate a message is about a procedure (unless another intent is sure)... */
    gate: number;
    /** ...and from this score and evidence whatever the classifier says (unless it is sure). */
    strong: number;
    strongEvidence: number;
    /** Weight of rare words a message must share with a record before the record counts at all (qualifiers aside: Ranked.core). */
    minEvidence: number;
    /** At most this many options when asking which procedure (Zalo and Messenger show 4-5 buttons well). */
    maxOptions: number;
  };
  intent: {
    /** An action intent (hand-off, feedback, greeting...) wins over weak procedure evidence from this probability... */
    action: number;
    /** ...and over any procedure evidence from this one. */
    sureAction: number;
    /** A reform model named at least this well, and better than any procedure, makes the message model_info... */
    model: number;
    /** ...when the message also names the model's place, or names the model at least this well. */
    sureModel: number;
    /**
     * ...and its words are at least this share of the message's: "xin học bổng cho học sinh nghèo" says the keyword
     * "học sinh" of a model, but asks about something else.
     */
    modelShare: number;
    /** From this probability the classifier's model_info stands, whatever procedure words the message has. */
    modelIntent: number;
  };
}

export const DEFAULT_NLU_OPTIONS: NluOptions = {
  rank: { pairWeight: 0.6, sideCredit: 0.35, nameExponent: 0.55, phraseWeight: 0.97, shortlist: 50, nameDecay: 0.08, localBoost: 1.5, weakWeight: 0.3, boundShare: 0.9 },
  confidenceThreshold: 0.45,
  faqThreshold: 0.62,
  procedure: { answer: 0.8, ratio: 5, answerQuality: 0.45, answerCoverage: 0.5, sure: 0.85, sureRatio: 10, sureQuality: 0.3, sureEvidence: 15, offer: 0.25, offerShare: 0.02, offerFloor: 0.005, weakOffer: 0.4, gate: 0.5, strong: 0.6, strongEvidence: 8, minEvidence: 3, maxOptions: 4 },
  intent: { action: 0.7, sureAction: 0.8, model: 0.7, sureModel: 0.8, modelShare: 0.5, modelIntent: 0.6 },
};
