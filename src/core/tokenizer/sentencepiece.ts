import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { TokenizerFormatError, type AddedToken, type Tokenizer } from './model.js';
import { MAX_VOCABULARY, Vocabulary } from './vocabulary.js';

// Field numbers and enum values from sentencepiece_model.proto.
const PIECE_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;
const MODEL_TYPES: Record<number, string> = { 1: 'Unigram', 2: 'BPE', 3: 'Word', 4: 'Char' };

interface TrainerSpec {
  modelType: number;
  ids: Record<'unk' | 'bos' | 'eos' | 'pad', number>;
}

/** Reads a SentencePiece `tokenizer.model` (a serialized ModelProto). */
export function readSentencePiece(bytes: Uint8Array, file: string): Tokenizer {
  const pieces: string[] = [];
  const types: number[] = [];
  let trainer: TrainerSpec = { modelType: 1, ids: { unk: 0, bos: 1, eos: 2, pad: -1 } };
  let normalizer = '';
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === 1 && wireType === WireType.LengthDelimited) {
        const piece = readPiece(reader.bytes());
        pieces.push(piece.piece);
        types.push(piece.type);
        // Stops as soon as the model has too many pieces, not after reading them all.
        if (pieces.length > MAX_VOCABULARY) break;
      } else if (field === 2 && wireType === WireType.LengthDelimited) {
        trainer = readTrainerSpec(reader.bytes());
      } else if (field === 3 && wireType === WireType.LengthDelimited) {
        normalizer = Buffer.from(reader.bytes()).toString('base64');
      } else {
        reader.skip(wireType);
      }
    }
  } catch (error) {
    throw new TokenizerFormatError(file, `${file} is not a SentencePiece model: ${(error as Error).message}`);
  }
  if (pieces.length > MAX_VOCABULARY) {
    throw new TokenizerFormatError(
      file,
      `${file}: the vocabulary has more than ${MAX_VOCABULARY} pieces; modelgate reads at most ${MAX_VOCABULARY} (the largest real vocabularies have about 262,000 tokens)`,
    );
  }
  if (pieces.length === 0)
    throw new TokenizerFormatError(file, `${file} is not a SentencePiece model: it has no pieces`);

  const added: AddedToken[] = [];
  pieces.forEach((content, id) => {
    const type = types[id];
    if (type === PIECE_TYPE.CONTROL || type === PIECE_TYPE.USER_DEFINED || type === PIECE_TYPE.UNKNOWN) {
      added.push({ id, content, special: type !== PIECE_TYPE.USER_DEFINED, source: file });
    }
  });
  const builtinSpecial: Tokenizer['builtinSpecial'] = {};
  for (const role of ['bos', 'eos', 'unk', 'pad'] as const) {
    const id = trainer.ids[role];
    const piece = id >= 0 ? pieces[id] : undefined;
    if (piece !== undefined) builtinSpecial[role] = piece;
  }
  return {
    format: 'sentencepiece',
    file,
    modelType: MODEL_TYPES[trainer.modelType] ?? `type ${trainer.modelType}`,
    vocab: Vocabulary.fromList(pieces, file),
    added,
    pipeline: { model_type: String(trainer.modelType), normalizer },
    builtinSpecial,
  };
}

function readPiece(bytes: Uint8Array): { piece: string; type: number } {
  const reader = new BinaryReader(bytes);
  let piece: string | undefined;
  let type: number = PIECE_TYPE.NORMAL;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) piece = reader.string();
    else if (field === 3 && wireType === WireType.Varint) type = reader.int32();
    else reader.skip(wireType);
  }
  if (piece === undefined) throw new Error('a piece has no text');
  return { piece, type };
}

function readTrainerSpec(bytes: Uint8Array): TrainerSpec {
  const spec: TrainerSpec = { modelType: 1, ids: { unk: 0, bos: 1, eos: 2, pad: -1 } };
  const reader = new BinaryReader(bytes);
  const idFields: Record<number, keyof TrainerSpec['ids']> = { 40: 'unk', 41: 'bos', 42: 'eos', 43: 'pad' };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    const role = idFields[field];
    if (field === 3 && wireType === WireType.Varint) spec.modelType = reader.int32();
    else if (role && wireType === WireType.Varint) spec.ids[role] = reader.int32();
    else reader.skip(wireType);
  }
  return spec;
}
