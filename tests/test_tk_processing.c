/* Encodings (truncate, pad, merge, character offsets), every post-processor
 * and every decoder, checked against the Rust `tokenizers` library.
 *
 * Expected values: tokenizers 0.23.2 (npm, the Rust library's node binding)
 * run by small node scripts. Post-processors: for each case the raw model
 * output of a WordLevel tokenizer (WhitespaceSplit or ByteLevel
 * pre-tokenizer, no post-processor) was dumped, optionally truncated with
 * Encoding.truncate, and handed to Tokenizer.postProcess(a, b, add) of a
 * tokenizer with the processor; the whole result (overflowing included) is
 * in CASES_JSON. Decoders: Tokenizer.decode(ids, false) of a WordLevel
 * tokenizer with the decoder (DEC_JSON). Encodings: mergeEncodings,
 * Encoding.pad and encode's character offsets (ENC_JSON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer/tokenizer_internal.h"

static const char CASES_JSON[] =
    "{\"procs\":{\"none\":null,\"template\":{\"type\":\"TemplateProcessing\",\"single\":[{\"Speci"
    "alToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"S"
    "pecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}],\"pair\":[{\"SpecialToken\":{\"id\":\"[CLS]"
    "\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"["
    "SEP]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"B\",\"type_id\":1}},{\"SpecialToken\":{\"id\""
    ":\"[SEP]\",\"type_id\":1}}],\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[1],\"to"
    "kens\":[\"[CLS]\"]},\"[SEP]\":{\"id\":\"[SEP]\",\"ids\":[2],\"tokens\":[\"[SEP]\"]}}},\"temp"
    "late_multi\":{\"type\":\"TemplateProcessing\",\"single\":[{\"Sequence\":{\"id\":\"A\",\"type"
    "_id\":2}},{\"SpecialToken\":{\"id\":\"END\",\"type_id\":3}}],\"pair\":[{\"SpecialToken\":{\""
    "id\":\"END\",\"type_id\":1}},{\"Sequence\":{\"id\":\"B\",\"type_id\":0}},{\"Sequence\":{\"id"
    "\":\"A\",\"type_id\":1}}],\"special_tokens\":{\"END\":{\"id\":\"END\",\"ids\":[10,9],\"token"
    "s\":[\"</s>\",\"<s>\"]}}},\"bert\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",2],\"cls"
    "\":[\"[CLS]\",1]},\"roberta\":{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",10],\"cls\":"
    "[\"<s>\",9],\"trim_offsets\":true,\"add_prefix_space\":false},\"roberta_nt\":{\"type\":\"Rob"
    "ertaProcessing\",\"sep\":[\"</s>\",10],\"cls\":[\"<s>\",9],\"trim_offsets\":false,\"add_pref"
    "ix_space\":true},\"bytelevel\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_off"
    "sets\":true,\"use_regex\":true},\"bytelevel_aps\":{\"type\":\"ByteLevel\",\"add_prefix_space"
    "\":true,\"trim_offsets\":true,\"use_regex\":true},\"seq\":{\"type\":\"Sequence\",\"processor"
    "s\":[{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":"
    "true},{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"typ"
    "e_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[SEP]\","
    "\"type_id\":0}}],\"pair\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\""
    ":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}},{\"Sequen"
    "ce\":{\"id\":\"B\",\"type_id\":1}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":1}}],\"sp"
    "ecial_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[1],\"tokens\":[\"[CLS]\"]},\"[SEP]\":{"
    "\"id\":\"[SEP]\",\"ids\":[2],\"tokens\":[\"[SEP]\"]}}}]},\"seq_rev\":{\"type\":\"Sequence\","
    "\"processors\":[{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":\"[CL"
    "S]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":"
    "\"[SEP]\",\"type_id\":0}}],\"pair\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\""
    "Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}"
    ",{\"Sequence\":{\"id\":\"B\",\"type_id\":1}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\""
    ":1}}],\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[1],\"tokens\":[\"[CLS]\"]},\""
    "[SEP]\":{\"id\":\"[SEP]\",\"ids\":[2],\"tokens\":[\"[SEP]\"]}}},{\"type\":\"ByteLevel\",\"ad"
    "d_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}]},\"seq_bert_bl\":{\"type\""
    ":\"Sequence\",\"processors\":[{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",2],\"cls\":[\""
    "[CLS]\",1]},{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_re"
    "gex\":true}]}},\"cases\":[{\"p\":\"none\",\"a\":{\"ids\":[3,4,5],\"type_ids\":[0,0,0],\"toke"
    "ns\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]],\"words\":[0,1,2]},\"b"
    "\":null,\"add\":true,\"expect\":{\"ids\":[3,4,5],\"type_ids\":[0,0,0],\"tokens\":[\"hello\","
    "\"world\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]],\"special\":[0,0,0],\"attention\":[1,1"
    ",1],\"words\":[0,1,2],\"seq\":[0,0,0],\"overflowing\":[]}},{\"p\":\"none\",\"a\":{\"ids\":[3"
    ",4,5],\"type_ids\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11"
    "],[12,15]],\"words\":[0,1,2]},\"b\":null,\"add\":false,\"expect\":{\"ids\":[3,4,5],\"type_id"
    "s\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]],\"sp"
    "ecial\":[0,0,0],\"attention\":[1,1,1],\"words\":[0,1,2],\"seq\":[0,0,0],\"overflowing\":[]}}"
    ",{\"p\":\"none\",\"a\":{\"ids\":[3,4],\"type_ids\":[0,0],\"tokens\":[\"hello\",\"world\"],\""
    "offsets\":[[0,5],[6,11]],\"words\":[0,1]},\"b\":{\"ids\":[5,6,7],\"type_ids\":[0,0,0],\"toke"
    "ns\":[\"how\",\"are\",\"you\"],\"offsets\":[[0,3],[4,7],[8,11]],\"words\":[0,1,2]},\"add\":t"
    "rue,\"expect\":{\"ids\":[3,4,5,6,7],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"hello\",\"world\""
    ",\"how\",\"are\",\"you\"],\"offsets\":[[0,5],[6,11],[0,3],[4,7],[8,11]],\"special\":[0,0,0,0"
    ",0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overflowing\":[]}}"
    ",{\"p\":\"none\",\"a\":{\"ids\":[3,4],\"type_ids\":[0,0],\"tokens\":[\"hello\",\"world\"],\""
    "offsets\":[[0,5],[6,11]],\"words\":[0,1]},\"b\":{\"ids\":[5,6,7],\"type_ids\":[0,0,0],\"toke"
    "ns\":[\"how\",\"are\",\"you\"],\"offsets\":[[0,3],[4,7],[8,11]],\"words\":[0,1,2]},\"add\":f"
    "alse,\"expect\":{\"ids\":[3,4,5,6,7],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"hello\",\"world"
    "\",\"how\",\"are\",\"you\"],\"offsets\":[[0,5],[6,11],[0,3],[4,7],[8,11]],\"special\":[0,0,0"
    ",0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overflowing\":[]"
    "}},{\"p\":\"none\",\"a\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offsets\":[],\"words\":"
    "[]},\"b\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2"
    ",3]],\"words\":[0,1]},\"add\":true,\"expect\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\""
    ":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"special\":[0,0],\"attention\":[1,1],\"words\":[0,"
    "1],\"seq\":[1,1],\"overflowing\":[]}},{\"p\":\"none\",\"a\":{\"ids\":[],\"type_ids\":[],\"to"
    "kens\":[],\"offsets\":[],\"words\":[]},\"b\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":"
    "[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":false,\"expect\":{\"ids\":["
    "11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"special\":[0,"
    "0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[1,1],\"overflowing\":[]}},{\"p\":\"none\",\""
    "a\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],"
    "\"words\":[0,1]},\"b\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offsets\":[],\"words\":[]"
    "},\"add\":true,\"expect\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"off"
    "sets\":[[0,1],[2,3]],\"special\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[0,0],\"o"
    "verflowing\":[]}},{\"p\":\"none\",\"a\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a"
    "\",\"b\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"b\":{\"ids\":[],\"type_ids\":[],\"tok"
    "ens\":[],\"offsets\":[],\"words\":[]},\"add\":false,\"expect\":{\"ids\":[11,12],\"type_ids\""
    ":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"special\":[0,0],\"attention\":[1"
    ",1],\"words\":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"template\",\"a\":{\"ids\":[3"
    ",4,5],\"type_ids\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11"
    "],[12,15]],\"words\":[0,1,2]},\"b\":null,\"add\":true,\"expect\":{\"ids\":[1,3,4,5,2],\"type"
    "_ids\":[0,0,0,0,0],\"tokens\":[\"[CLS]\",\"hello\",\"world\",\"how\",\"[SEP]\"],\"offsets\":"
    "[[0,0],[0,5],[6,11],[12,15],[0,0]],\"special\":[1,0,0,0,1],\"attention\":[1,1,1,1,1],\"words"
    "\":[-1,0,1,2,-1],\"seq\":[-1,0,0,0,-1],\"overflowing\":[]}},{\"p\":\"template\",\"a\":{\"ids"
    "\":[3,4,5],\"type_ids\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],"
    "[6,11],[12,15]],\"words\":[0,1,2]},\"b\":null,\"add\":false,\"expect\":{\"ids\":[3,4,5],\"ty"
    "pe_ids\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]]"
    ",\"special\":[0,0,0],\"attention\":[1,1,1],\"words\":[0,1,2],\"seq\":[0,0,0],\"overflowing\""
    ":[]}},{\"p\":\"template\",\"a\":{\"ids\":[3,4],\"type_ids\":[0,0],\"tokens\":[\"hello\",\"wo"
    "rld\"],\"offsets\":[[0,5],[6,11]],\"words\":[0,1]},\"b\":{\"ids\":[5,6,7],\"type_ids\":[0,0,"
    "0],\"tokens\":[\"how\",\"are\",\"you\"],\"offsets\":[[0,3],[4,7],[8,11]],\"words\":[0,1,2]},"
    "\"add\":true,\"expect\":{\"ids\":[1,3,4,2,5,6,7,2],\"type_ids\":[0,0,0,0,1,1,1,1],\"tokens\""
    ":[\"[CLS]\",\"hello\",\"world\",\"[SEP]\",\"how\",\"are\",\"you\",\"[SEP]\"],\"offsets\":[[0"
    ",0],[0,5],[6,11],[0,0],[0,3],[4,7],[8,11],[0,0]],\"special\":[1,0,0,1,0,0,0,1],\"attention\""
    ":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,-1,0,1,2,-1],\"seq\":[-1,0,0,-1,1,1,1,-1],\"overflowing"
    "\":[]}},{\"p\":\"template\",\"a\":{\"ids\":[3,4],\"type_ids\":[0,0],\"tokens\":[\"hello\",\""
    "world\"],\"offsets\":[[0,5],[6,11]],\"words\":[0,1]},\"b\":{\"ids\":[5,6,7],\"type_ids\":[0,"
    "0,0],\"tokens\":[\"how\",\"are\",\"you\"],\"offsets\":[[0,3],[4,7],[8,11]],\"words\":[0,1,2]"
    "},\"add\":false,\"expect\":{\"ids\":[3,4,5,6,7],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"hello"
    "\",\"world\",\"how\",\"are\",\"you\"],\"offsets\":[[0,5],[6,11],[0,3],[4,7],[8,11]],\"specia"
    "l\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overfl"
    "owing\":[]}},{\"p\":\"template\",\"a\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offsets\""
    ":[],\"words\":[]},\"b\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offse"
    "ts\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":true,\"expect\":{\"ids\":[1,2,11,12,2],\"type_id"
    "s\":[0,0,1,1,1],\"tokens\":[\"[CLS]\",\"[SEP]\",\"a\",\"b\",\"[SEP]\"],\"offsets\":[[0,0],[0"
    ",0],[0,1],[2,3],[0,0]],\"special\":[1,1,0,0,1],\"attention\":[1,1,1,1,1],\"words\":[-1,-1,0,"
    "1,-1],\"seq\":[-1,-1,1,1,-1],\"overflowing\":[]}},{\"p\":\"template\",\"a\":{\"ids\":[],\"ty"
    "pe_ids\":[],\"tokens\":[],\"offsets\":[],\"words\":[]},\"b\":{\"ids\":[11,12],\"type_ids\":["
    "0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":false,\"exp"
    "ect\":{\"ids\":[11,12],\"type_ids\":[1,1],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]]"
    ",\"special\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[1,1],\"overflowing\":[]}},{"
    "\"p\":\"template\",\"a\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offs"
    "ets\":[[0,1],[2,3]],\"words\":[0,1]},\"b\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offse"
    "ts\":[],\"words\":[]},\"add\":true,\"expect\":{\"ids\":[1,11,12,2,2],\"type_ids\":[0,0,0,0,1"
    "],\"tokens\":[\"[CLS]\",\"a\",\"b\",\"[SEP]\",\"[SEP]\"],\"offsets\":[[0,0],[0,1],[2,3],[0,0"
    "],[0,0]],\"special\":[1,0,0,1,1],\"attention\":[1,1,1,1,1],\"words\":[-1,0,1,-1,-1],\"seq\":"
    "[-1,0,0,-1,-1],\"overflowing\":[]}},{\"p\":\"template\",\"a\":{\"ids\":[11,12],\"type_ids\":"
    "[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"b\":{\"ids\":[],"
    "\"type_ids\":[],\"tokens\":[],\"offsets\":[],\"words\":[]},\"add\":false,\"expect\":{\"ids\""
    ":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"special\":["
    "0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"templat"
    "e_multi\",\"a\":{\"ids\":[3,4,5],\"type_ids\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how"
    "\"],\"offsets\":[[0,5],[6,11],[12,15]],\"words\":[0,1,2]},\"b\":null,\"add\":true,\"expect\""
    ":{\"ids\":[3,4,5,10,9],\"type_ids\":[2,2,2,3,3],\"tokens\":[\"hello\",\"world\",\"how\",\"</"
    "s>\",\"<s>\"],\"offsets\":[[0,5],[6,11],[12,15],[0,0],[0,0]],\"special\":[0,0,0,1,1],\"atten"
    "tion\":[1,1,1,1,1],\"words\":[0,1,2,-1,-1],\"seq\":[0,0,0,-1,-1],\"overflowing\":[]}},{\"p\""
    ":\"template_multi\",\"a\":{\"ids\":[3,4,5],\"type_ids\":[0,0,0],\"tokens\":[\"hello\",\"worl"
    "d\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]],\"words\":[0,1,2]},\"b\":null,\"add\":false,"
    "\"expect\":{\"ids\":[3,4,5],\"type_ids\":[2,2,2],\"tokens\":[\"hello\",\"world\",\"how\"],\""
    "offsets\":[[0,5],[6,11],[12,15]],\"special\":[0,0,0],\"attention\":[1,1,1],\"words\":[0,1,2]"
    ",\"seq\":[0,0,0],\"overflowing\":[]}},{\"p\":\"template_multi\",\"a\":{\"ids\":[3,4],\"type_"
    "ids\":[0,0],\"tokens\":[\"hello\",\"world\"],\"offsets\":[[0,5],[6,11]],\"words\":[0,1]},\"b"
    "\":{\"ids\":[5,6,7],\"type_ids\":[0,0,0],\"tokens\":[\"how\",\"are\",\"you\"],\"offsets\":[["
    "0,3],[4,7],[8,11]],\"words\":[0,1,2]},\"add\":true,\"expect\":{\"ids\":[10,9,5,6,7,3,4],\"ty"
    "pe_ids\":[1,1,0,0,0,1,1],\"tokens\":[\"</s>\",\"<s>\",\"how\",\"are\",\"you\",\"hello\",\"wo"
    "rld\"],\"offsets\":[[0,0],[0,0],[0,3],[4,7],[8,11],[0,5],[6,11]],\"special\":[1,1,0,0,0,0,0]"
    ",\"attention\":[1,1,1,1,1,1,1],\"words\":[-1,-1,0,1,2,0,1],\"seq\":[-1,-1,1,1,1,0,0],\"overf"
    "lowing\":[]}},{\"p\":\"template_multi\",\"a\":{\"ids\":[3,4],\"type_ids\":[0,0],\"tokens\":["
    "\"hello\",\"world\"],\"offsets\":[[0,5],[6,11]],\"words\":[0,1]},\"b\":{\"ids\":[5,6,7],\"ty"
    "pe_ids\":[0,0,0],\"tokens\":[\"how\",\"are\",\"you\"],\"offsets\":[[0,3],[4,7],[8,11]],\"wor"
    "ds\":[0,1,2]},\"add\":false,\"expect\":{\"ids\":[5,6,7,3,4],\"type_ids\":[0,0,0,1,1],\"token"
    "s\":[\"how\",\"are\",\"you\",\"hello\",\"world\"],\"offsets\":[[0,3],[4,7],[8,11],[0,5],[6,1"
    "1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,2,0,1],\"seq\":[1,1,1,0"
    ",0],\"overflowing\":[]}},{\"p\":\"template_multi\",\"a\":{\"ids\":[],\"type_ids\":[],\"token"
    "s\":[],\"offsets\":[],\"words\":[]},\"b\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\""
    "a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":true,\"expect\":{\"ids\":[10,9"
    ",11,12],\"type_ids\":[1,1,0,0],\"tokens\":[\"</s>\",\"<s>\",\"a\",\"b\"],\"offsets\":[[0,0],"
    "[0,0],[0,1],[2,3]],\"special\":[1,1,0,0],\"attention\":[1,1,1,1],\"words\":[-1,-1,0,1],\"seq"
    "\":[-1,-1,1,1],\"overflowing\":[]}},{\"p\":\"template_multi\",\"a\":{\"ids\":[],\"type_ids\""
    ":[],\"tokens\":[],\"offsets\":[],\"words\":[]},\"b\":{\"ids\":[11,12],\"type_ids\":[0,0],\"t"
    "okens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":false,\"expect\":{"
    "\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"spec"
    "ial\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[1,1],\"overflowing\":[]}},{\"p\":\""
    "template_multi\",\"a\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offset"
    "s\":[[0,1],[2,3]],\"words\":[0,1]},\"b\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offsets"
    "\":[],\"words\":[]},\"add\":true,\"expect\":{\"ids\":[10,9,11,12],\"type_ids\":[1,1,1,1],\"t"
    "okens\":[\"</s>\",\"<s>\",\"a\",\"b\"],\"offsets\":[[0,0],[0,0],[0,1],[2,3]],\"special\":[1,"
    "1,0,0],\"attention\":[1,1,1,1],\"words\":[-1,-1,0,1],\"seq\":[-1,-1,0,0],\"overflowing\":[]}"
    "},{\"p\":\"template_multi\",\"a\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b"
    "\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"b\":{\"ids\":[],\"type_ids\":[],\"tokens\":"
    "[],\"offsets\":[],\"words\":[]},\"add\":false,\"expect\":{\"ids\":[11,12],\"type_ids\":[1,1]"
    ",\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"special\":[0,0],\"attention\":[1,1],\""
    "words\":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"bert\",\"a\":{\"ids\":[3,4,5],\"ty"
    "pe_ids\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]]"
    ",\"words\":[0,1,2]},\"b\":null,\"add\":true,\"expect\":{\"ids\":[1,3,4,5,2],\"type_ids\":[0,"
    "0,0,0,0],\"tokens\":[\"[CLS]\",\"hello\",\"world\",\"how\",\"[SEP]\"],\"offsets\":[[0,0],[0,"
    "5],[6,11],[12,15],[0,0]],\"special\":[1,0,0,0,1],\"attention\":[1,1,1,1,1],\"words\":[-1,0,1"
    ",2,-1],\"seq\":[-1,0,0,0,-1],\"overflowing\":[]}},{\"p\":\"bert\",\"a\":{\"ids\":[3,4,5],\"t"
    "ype_ids\":[0,0,0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]"
    "],\"words\":[0,1,2]},\"b\":null,\"add\":false,\"expect\":{\"ids\":[3,4,5],\"type_ids\":[0,0,"
    "0],\"tokens\":[\"hello\",\"world\",\"how\"],\"offsets\":[[0,5],[6,11],[12,15]],\"special\":["
    "0,0,0],\"attention\":[1,1,1],\"words\":[0,1,2],\"seq\":[0,0,0],\"overflowing\":[]}},{\"p\":"
    "\"bert\",\"a\":{\"ids\":[3,4],\"type_ids\":[0,0],\"tokens\":[\"hello\",\"world\"],\"offsets"
    "\":[[0,5],[6,11]],\"words\":[0,1]},\"b\":{\"ids\":[5,6,7],\"type_ids\":[0,0,0],\"tokens\":["
    "\"how\",\"are\",\"you\"],\"offsets\":[[0,3],[4,7],[8,11]],\"words\":[0,1,2]},\"add\":true,\""
    "expect\":{\"ids\":[1,3,4,2,5,6,7,2],\"type_ids\":[0,0,0,0,1,1,1,1],\"tokens\":[\"[CLS]\",\"h"
    "ello\",\"world\",\"[SEP]\",\"how\",\"are\",\"you\",\"[SEP]\"],\"offsets\":[[0,0],[0,5],[6,11"
    "],[0,0],[0,3],[4,7],[8,11],[0,0]],\"special\":[1,0,0,1,0,0,0,1],\"attention\":[1,1,1,1,1,1,1"
    ",1],\"words\":[-1,0,1,-1,0,1,2,-1],\"seq\":[-1,0,0,-1,1,1,1,-1],\"overflowing\":[]}},{\"p\":"
    "\"bert\",\"a\":{\"ids\":[3,4],\"type_ids\":[0,0],\"tokens\":[\"hello\",\"world\"],\"offsets"
    "\":[[0,5],[6,11]],\"words\":[0,1]},\"b\":{\"ids\":[5,6,7],\"type_ids\":[0,0,0],\"tokens\":["
    "\"how\",\"are\",\"you\"],\"offsets\":[[0,3],[4,7],[8,11]],\"words\":[0,1,2]},\"add\":false,"
    "\"expect\":{\"ids\":[3,4,5,6,7],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"hello\",\"world\",\"h"
    "ow\",\"are\",\"you\"],\"offsets\":[[0,5],[6,11],[0,3],[4,7],[8,11]],\"special\":[0,0,0,0,0],"
    "\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overflowing\":[]}},{\""
    "p\":\"bert\",\"a\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offsets\":[],\"words\":[]},\""
    "b\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],"
    "\"words\":[0,1]},\"add\":true,\"expect\":{\"ids\":[1,2,11,12,2],\"type_ids\":[0,0,1,1,1],\"t"
    "okens\":[\"[CLS]\",\"[SEP]\",\"a\",\"b\",\"[SEP]\"],\"offsets\":[[0,0],[0,0],[0,1],[2,3],[0,"
    "0]],\"special\":[1,1,0,0,1],\"attention\":[1,1,1,1,1],\"words\":[-1,-1,0,1,-1],\"seq\":[-1,-"
    "1,1,1,-1],\"overflowing\":[]}},{\"p\":\"bert\",\"a\":{\"ids\":[],\"type_ids\":[],\"tokens\":"
    "[],\"offsets\":[],\"words\":[]},\"b\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\","
    "\"b\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":false,\"expect\":{\"ids\":[11,12],"
    "\"type_ids\":[1,1],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"special\":[0,0],\"at"
    "tention\":[1,1],\"words\":[0,1],\"seq\":[1,1],\"overflowing\":[]}},{\"p\":\"bert\",\"a\":{\""
    "ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"words"
    "\":[0,1]},\"b\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],\"offsets\":[],\"words\":[]},\"add"
    "\":true,\"expect\":{\"ids\":[1,11,12,2,2],\"type_ids\":[0,0,0,0,1],\"tokens\":[\"[CLS]\",\"a"
    "\",\"b\",\"[SEP]\",\"[SEP]\"],\"offsets\":[[0,0],[0,1],[2,3],[0,0],[0,0]],\"special\":[1,0,0"
    ",1,1],\"attention\":[1,1,1,1,1],\"words\":[-1,0,1,-1,-1],\"seq\":[-1,0,0,-1,-1],\"overflowin"
    "g\":[]}},{\"p\":\"bert\",\"a\":{\"ids\":[11,12],\"type_ids\":[0,0],\"tokens\":[\"a\",\"b\"],"
    "\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"b\":{\"ids\":[],\"type_ids\":[],\"tokens\":[],"
    "\"offsets\":[],\"words\":[]},\"add\":false,\"expect\":{\"ids\":[11,12],\"type_ids\":[0,0],\""
    "tokens\":[\"a\",\"b\"],\"offsets\":[[0,1],[2,3]],\"special\":[0,0],\"attention\":[1,1],\"wor"
    "ds\":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"roberta\",\"a\":{\"ids\":[20,21],\"ty"
    "pe_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":"
    "[0,1]},\"b\":null,\"add\":true,\"expect\":{\"ids\":[9,20,21,10],\"type_ids\":[0,0,0,0],\"tok"
    "ens\":[\"<s>\",\"Hello\",\"\\u0120world\",\"</s>\"],\"offsets\":[[0,0],[0,5],[6,11],[0,0]],"
    "\"special\":[1,0,0,1],\"attention\":[1,1,1,1],\"words\":[-1,0,1,-1],\"seq\":[-1,0,0,-1],\"ov"
    "erflowing\":[]}},{\"p\":\"roberta\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\""
    "Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\":fal"
    "se,\"expect\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\""
    "offsets\":[[0,5],[6,11]],\"special\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[0,0]"
    ",\"overflowing\":[]}},{\"p\":\"roberta\",\"a\":{\"ids\":[20,22,21],\"type_ids\":[0,0,0],\"to"
    "kens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,6],[6,12]],\"words\":["
    "0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0120there\"],\"offsets\":[[0,6"
    "]],\"words\":[0]},\"add\":true,\"expect\":{\"ids\":[9,20,22,21,10,10,24,10],\"type_ids\":[0,"
    "0,0,0,0,0,0,0],\"tokens\":[\"<s>\",\"Hello\",\"\\u0120\",\"\\u0120world\",\"</s>\",\"</s>\","
    "\"\\u0120there\",\"</s>\"],\"offsets\":[[0,0],[0,5],[6,6],[7,12],[0,0],[0,0],[1,6],[0,0]],\""
    "special\":[1,0,0,0,1,1,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,-1,0,-1],"
    "\"seq\":[-1,0,0,0,-1,-1,1,-1],\"overflowing\":[]}},{\"p\":\"roberta\",\"a\":{\"ids\":[20,22,"
    "21],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0"
    ",5],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0"
    "120there\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":false,\"expect\":{\"ids\":[20,22,21,2"
    "4],\"type_ids\":[0,0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\",\"\\u0120there"
    "\"],\"offsets\":[[0,5],[6,6],[7,12],[1,6]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"w"
    "ords\":[0,1,2,0],\"seq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"roberta\",\"a\":{\"ids\":[2"
    "1,23],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6]"
    ",[6,8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello"
    "\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":true"
    ",\"expect\":{\"ids\":[9,21,23,10,10,20,26,22,10],\"type_ids\":[0,0,0,0,0,0,0,0,0],\"tokens\""
    ":[\"<s>\",\"\\u0120world\",\"\\u0120\\u0120\",\"</s>\",\"</s>\",\"Hello\",\"\\u0120!\",\"\\u"
    "0120\",\"</s>\"],\"offsets\":[[0,0],[1,6],[8,8],[0,0],[0,0],[0,5],[6,7],[8,8],[0,0]],\"speci"
    "al\":[1,0,0,1,1,0,0,0,1],\"attention\":[1,1,1,1,1,1,1,1,1],\"words\":[-1,0,1,-1,-1,0,1,2,-1]"
    ",\"seq\":[-1,0,0,-1,-1,1,1,1,-1],\"overflowing\":[]}},{\"p\":\"roberta\",\"a\":{\"ids\":[21,"
    "23],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],["
    "6,8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\","
    "\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":false,"
    "\"expect\":{\"ids\":[21,23,20,26,22],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"\\u0120world\","
    "\"\\u0120\\u0120\",\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[1,6],[8,8],[0,5],[6,7],"
    "[8,8]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,"
    "1,1,1],\"overflowing\":[]}},{\"p\":\"roberta_nt\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],"
    "\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":nu"
    "ll,\"add\":true,\"expect\":{\"ids\":[9,20,21,10],\"type_ids\":[0,0,0,0],\"tokens\":[\"<s>\","
    "\"Hello\",\"\\u0120world\",\"</s>\"],\"offsets\":[[0,0],[0,5],[5,11],[0,0]],\"special\":[1,0"
    ",0,1],\"attention\":[1,1,1,1],\"words\":[-1,0,1,-1],\"seq\":[-1,0,0,-1],\"overflowing\":[]}}"
    ",{\"p\":\"roberta_nt\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u"
    "0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\":false,\"expect\""
    ":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0"
    ",5],[5,11]],\"special\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[0,0],\"overflowin"
    "g\":[]}},{\"p\":\"roberta_nt\",\"a\":{\"ids\":[20,22,21],\"type_ids\":[0,0,0],\"tokens\":[\""
    "Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,6],[6,12]],\"words\":[0,1,2]},\""
    "b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0120there\"],\"offsets\":[[0,6]],\"words"
    "\":[0]},\"add\":true,\"expect\":{\"ids\":[9,20,22,21,10,10,24,10],\"type_ids\":[0,0,0,0,0,0,"
    "0,0],\"tokens\":[\"<s>\",\"Hello\",\"\\u0120\",\"\\u0120world\",\"</s>\",\"</s>\",\"\\u0120t"
    "here\",\"</s>\"],\"offsets\":[[0,0],[0,5],[5,6],[6,12],[0,0],[0,0],[0,6],[0,0]],\"special\":"
    "[1,0,0,0,1,1,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,-1,0,-1],\"seq\":[-"
    "1,0,0,0,-1,-1,1,-1],\"overflowing\":[]}},{\"p\":\"roberta_nt\",\"a\":{\"ids\":[20,22,21],\"t"
    "ype_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,"
    "6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0120ther"
    "e\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":false,\"expect\":{\"ids\":[20,22,21,24],\"ty"
    "pe_ids\":[0,0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\",\"\\u0120there\"],\"of"
    "fsets\":[[0,5],[5,6],[6,12],[0,6]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":["
    "0,1,2,0],\"seq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"roberta_nt\",\"a\":{\"ids\":[21,23]"
    ",\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6,8"
    "]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\""
    "\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":true,\"ex"
    "pect\":{\"ids\":[9,21,23,10,10,20,26,22,10],\"type_ids\":[0,0,0,0,0,0,0,0,0],\"tokens\":[\"<"
    "s>\",\"\\u0120world\",\"\\u0120\\u0120\",\"</s>\",\"</s>\",\"Hello\",\"\\u0120!\",\"\\u0120"
    "\",\"</s>\"],\"offsets\":[[0,0],[0,6],[6,8],[0,0],[0,0],[0,5],[5,7],[7,8],[0,0]],\"special\""
    ":[1,0,0,1,1,0,0,0,1],\"attention\":[1,1,1,1,1,1,1,1,1],\"words\":[-1,0,1,-1,-1,0,1,2,-1],\"s"
    "eq\":[-1,0,0,-1,-1,1,1,1,-1],\"overflowing\":[]}},{\"p\":\"roberta_nt\",\"a\":{\"ids\":[21,2"
    "3],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6"
    ",8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\","
    "\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":false,"
    "\"expect\":{\"ids\":[21,23,20,26,22],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"\\u0120world\","
    "\"\\u0120\\u0120\",\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,6],[6,8],[0,5],[5,7],"
    "[7,8]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,"
    "1,1,1],\"overflowing\":[]}},{\"p\":\"bytelevel\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],"
    "\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":nu"
    "ll,\"add\":true,\"expect\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u01"
    "20world\"],\"offsets\":[[0,5],[6,11]],\"special\":[0,0],\"attention\":[1,1],\"words\":[0,1],"
    "\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"bytelevel\",\"a\":{\"ids\":[20,21],\"type_ids\":"
    "[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\""
    "b\":null,\"add\":false,\"expect\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\","
    "\"\\u0120world\"],\"offsets\":[[0,5],[6,11]],\"special\":[0,0],\"attention\":[1,1],\"words\""
    ":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"bytelevel\",\"a\":{\"ids\":[20,22,21],\"t"
    "ype_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,"
    "6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0120ther"
    "e\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":true,\"expect\":{\"ids\":[20,22,21,24],\"typ"
    "e_ids\":[0,0,0,1],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\",\"\\u0120there\"],\"off"
    "sets\":[[0,5],[6,6],[7,12],[1,6]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[0"
    ",1,2,0],\"seq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"bytelevel\",\"a\":{\"ids\":[20,22,21"
    "],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5"
    "],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u012"
    "0there\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":false,\"expect\":{\"ids\":[20,22,21,24]"
    ",\"type_ids\":[0,0,0,1],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\",\"\\u0120there\"]"
    ",\"offsets\":[[0,5],[6,6],[7,12],[1,6]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"word"
    "s\":[0,1,2,0],\"seq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"bytelevel\",\"a\":{\"ids\":[21"
    ",23],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],"
    "[6,8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\""
    ",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":true,"
    "\"expect\":{\"ids\":[21,23,20,26,22],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"\\u0120world\","
    "\"\\u0120\\u0120\",\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[1,6],[8,8],[0,5],[6,7],"
    "[8,8]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,"
    "1,1,1],\"overflowing\":[]}},{\"p\":\"bytelevel\",\"a\":{\"ids\":[21,23],\"type_ids\":[0,0],"
    "\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6,8]],\"words\":[0,1]},"
    "\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120!\",\"\\u0120"
    "\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":false,\"expect\":{\"ids\":[21"
    ",23,20,26,22],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\",\"Hel"
    "lo\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[1,6],[8,8],[0,5],[6,7],[8,8]],\"special\":[0,0,"
    "0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overflowing\":["
    "]}},{\"p\":\"bytelevel_aps\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\""
    ",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\":true,\"exp"
    "ect\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets"
    "\":[[0,5],[6,11]],\"special\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[0,0],\"over"
    "flowing\":[]}},{\"p\":\"bytelevel_aps\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\""
    ":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\""
    ":false,\"expect\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\""
    "],\"offsets\":[[0,5],[6,11]],\"special\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":["
    "0,0],\"overflowing\":[]}},{\"p\":\"bytelevel_aps\",\"a\":{\"ids\":[20,22,21],\"type_ids\":[0"
    ",0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,6],[6,12]],"
    "\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0120there\"],\"offs"
    "ets\":[[0,6]],\"words\":[0]},\"add\":true,\"expect\":{\"ids\":[20,22,21,24],\"type_ids\":[0,"
    "0,0,1],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\",\"\\u0120there\"],\"offsets\":[[0,"
    "5],[6,6],[7,12],[0,6]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[0,1,2,0],\"s"
    "eq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"bytelevel_aps\",\"a\":{\"ids\":[20,22,21],\"typ"
    "e_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,6]"
    ",[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0120there"
    "\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":false,\"expect\":{\"ids\":[20,22,21,24],\"typ"
    "e_ids\":[0,0,0,1],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\",\"\\u0120there\"],\"off"
    "sets\":[[0,5],[6,6],[7,12],[0,6]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[0"
    ",1,2,0],\"seq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"bytelevel_aps\",\"a\":{\"ids\":[21,2"
    "3],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6"
    ",8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\","
    "\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":true,\""
    "expect\":{\"ids\":[21,23,20,26,22],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"\\u0120world\",\""
    "\\u0120\\u0120\",\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,6],[8,8],[0,5],[6,7],[8"
    ",8]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,"
    "1,1],\"overflowing\":[]}},{\"p\":\"bytelevel_aps\",\"a\":{\"ids\":[21,23],\"type_ids\":[0,0]"
    ",\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6,8]],\"words\":[0,1]}"
    ",\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120!\",\"\\u0120"
    "\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":false,\"expect\":{\"ids\":[21"
    ",23,20,26,22],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\",\"Hel"
    "lo\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,6],[8,8],[0,5],[6,7],[8,8]],\"special\":[0,0,"
    "0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overflowing\":["
    "]}},{\"p\":\"seq\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120"
    "world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\":true,\"expect\":{\"i"
    "ds\":[1,20,21,2],\"type_ids\":[0,0,0,0],\"tokens\":[\"[CLS]\",\"Hello\",\"\\u0120world\",\"["
    "SEP]\"],\"offsets\":[[0,0],[0,5],[6,11],[0,0]],\"special\":[1,0,0,1],\"attention\":[1,1,1,1]"
    ",\"words\":[-1,0,1,-1],\"seq\":[-1,0,0,-1],\"overflowing\":[]}},{\"p\":\"seq\",\"a\":{\"ids"
    "\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5,"
    "11]],\"words\":[0,1]},\"b\":null,\"add\":false,\"expect\":{\"ids\":[20,21],\"type_ids\":[0,0"
    "],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[6,11]],\"special\":[0,0],\"att"
    "ention\":[1,1],\"words\":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"seq\",\"a\":{\"id"
    "s\":[20,22,21],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"of"
    "fsets\":[[0,5],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"token"
    "s\":[\"\\u0120there\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":true,\"expect\":{\"ids\":["
    "1,20,22,21,2,24,2],\"type_ids\":[0,0,0,0,0,1,1],\"tokens\":[\"[CLS]\",\"Hello\",\"\\u0120\","
    "\"\\u0120world\",\"[SEP]\",\"\\u0120there\",\"[SEP]\"],\"offsets\":[[0,0],[0,5],[6,6],[7,12]"
    ",[0,0],[1,6],[0,0]],\"special\":[1,0,0,0,1,0,1],\"attention\":[1,1,1,1,1,1,1],\"words\":[-1,"
    "0,1,2,-1,0,-1],\"seq\":[-1,0,0,0,-1,1,-1],\"overflowing\":[]}},{\"p\":\"seq\",\"a\":{\"ids\""
    ":[20,22,21],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],\"offse"
    "ts\":[[0,5],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"tokens\""
    ":[\"\\u0120there\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":false,\"expect\":{\"ids\":[20"
    ",22,21,24],\"type_ids\":[0,0,0,1],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\",\"\\u01"
    "20there\"],\"offsets\":[[0,5],[6,6],[7,12],[1,6]],\"special\":[0,0,0,0],\"attention\":[1,1,1"
    ",1],\"words\":[0,1,2,0],\"seq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"seq\",\"a\":{\"ids\""
    ":[21,23],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0"
    ",6],[6,8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hel"
    "lo\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":tr"
    "ue,\"expect\":{\"ids\":[1,21,23,2,20,26,22,2],\"type_ids\":[0,0,0,0,1,1,1,1],\"tokens\":[\"["
    "CLS]\",\"\\u0120world\",\"\\u0120\\u0120\",\"[SEP]\",\"Hello\",\"\\u0120!\",\"\\u0120\",\"[S"
    "EP]\"],\"offsets\":[[0,0],[1,6],[8,8],[0,0],[0,5],[6,7],[8,8],[0,0]],\"special\":[1,0,0,1,0,"
    "0,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,-1,0,1,2,-1],\"seq\":[-1,0,0,-1,1,1"
    ",1,-1],\"overflowing\":[]}},{\"p\":\"seq\",\"a\":{\"ids\":[21,23],\"type_ids\":[0,0],\"token"
    "s\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6,8]],\"words\":[0,1]},\"b\":{"
    "\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120!\",\"\\u0120\"],\"of"
    "fsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":false,\"expect\":{\"ids\":[21,23,20,2"
    "6,22],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\",\"Hello\",\""
    "\\u0120!\",\"\\u0120\"],\"offsets\":[[1,6],[8,8],[0,5],[6,7],[8,8]],\"special\":[0,0,0,0,0],"
    "\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overflowing\":[]}},{\""
    "p\":\"seq_rev\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120wor"
    "ld\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\":true,\"expect\":{\"ids"
    "\":[1,20,21,2],\"type_ids\":[0,0,0,0],\"tokens\":[\"[CLS]\",\"Hello\",\"\\u0120world\",\"[SE"
    "P]\"],\"offsets\":[[0,0],[0,5],[6,11],[0,0]],\"special\":[1,0,0,1],\"attention\":[1,1,1,1],"
    "\"words\":[-1,0,1,-1],\"seq\":[-1,1,1,2],\"overflowing\":[]}},{\"p\":\"seq_rev\",\"a\":{\"id"
    "s\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[5"
    ",11]],\"words\":[0,1]},\"b\":null,\"add\":false,\"expect\":{\"ids\":[20,21],\"type_ids\":[0,"
    "0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[6,11]],\"special\":[0,0],\"at"
    "tention\":[1,1],\"words\":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\":\"seq_rev\",\"a\":"
    "{\"ids\":[20,22,21],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"]"
    ",\"offsets\":[[0,5],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\""
    "tokens\":[\"\\u0120there\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":true,\"expect\":{\"id"
    "s\":[1,20,22,21,2,24,2],\"type_ids\":[0,0,0,0,0,1,1],\"tokens\":[\"[CLS]\",\"Hello\",\"\\u01"
    "20\",\"\\u0120world\",\"[SEP]\",\"\\u0120there\",\"[SEP]\"],\"offsets\":[[0,0],[0,5],[6,6],["
    "7,12],[0,0],[1,6],[0,0]],\"special\":[1,0,0,0,1,0,1],\"attention\":[1,1,1,1,1,1,1],\"words\""
    ":[-1,0,1,2,-1,0,-1],\"seq\":[-1,0,0,0,2,3,4],\"overflowing\":[]}},{\"p\":\"seq_rev\",\"a\":{"
    "\"ids\":[20,22,21],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\"],"
    "\"offsets\":[[0,5],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":[24],\"type_ids\":[0],\"t"
    "okens\":[\"\\u0120there\"],\"offsets\":[[0,6]],\"words\":[0]},\"add\":false,\"expect\":{\"id"
    "s\":[20,22,21,24],\"type_ids\":[0,0,0,1],\"tokens\":[\"Hello\",\"\\u0120\",\"\\u0120world\","
    "\"\\u0120there\"],\"offsets\":[[0,5],[6,6],[7,12],[1,6]],\"special\":[0,0,0,0],\"attention\""
    ":[1,1,1,1],\"words\":[0,1,2,0],\"seq\":[0,0,0,1],\"overflowing\":[]}},{\"p\":\"seq_rev\",\"a"
    "\":{\"ids\":[21,23],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"of"
    "fsets\":[[0,6],[6,8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"toke"
    "ns\":[\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]}"
    ",\"add\":true,\"expect\":{\"ids\":[1,21,23,2,20,26,22,2],\"type_ids\":[0,0,0,0,1,1,1,1],\"to"
    "kens\":[\"[CLS]\",\"\\u0120world\",\"\\u0120\\u0120\",\"[SEP]\",\"Hello\",\"\\u0120!\",\"\\u"
    "0120\",\"[SEP]\"],\"offsets\":[[0,0],[1,6],[8,8],[0,0],[0,5],[6,7],[8,8],[0,0]],\"special\":"
    "[1,0,0,1,0,0,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,-1,0,1,2,-1],\"seq\":[-1"
    ",0,0,2,3,3,3,4],\"overflowing\":[]}},{\"p\":\"seq_rev\",\"a\":{\"ids\":[21,23],\"type_ids\":"
    "[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6,8]],\"words\":["
    "0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120!\",\"\\"
    "u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":false,\"expect\":{\"ids"
    "\":[21,23,20,26,22],\"type_ids\":[0,0,1,1,1],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\""
    ",\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[1,6],[8,8],[0,5],[6,7],[8,8]],\"special\""
    ":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,2],\"seq\":[0,0,1,1,1],\"overflowi"
    "ng\":[]}},{\"p\":\"seq_bert_bl\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hel"
    "lo\",\"\\u0120world\"],\"offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\":true,"
    "\"expect\":{\"ids\":[1,20,21,2],\"type_ids\":[0,0,0,0],\"tokens\":[\"[CLS]\",\"Hello\",\"\\u"
    "0120world\",\"[SEP]\"],\"offsets\":[[0,0],[0,5],[6,11],[0,0]],\"special\":[1,0,0,1],\"attent"
    "ion\":[1,1,1,1],\"words\":[-1,0,1,-1],\"seq\":[0,0,0,0],\"overflowing\":[]}},{\"p\":\"seq_be"
    "rt_bl\",\"a\":{\"ids\":[20,21],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\""
    "offsets\":[[0,5],[5,11]],\"words\":[0,1]},\"b\":null,\"add\":false,\"expect\":{\"ids\":[20,2"
    "1],\"type_ids\":[0,0],\"tokens\":[\"Hello\",\"\\u0120world\"],\"offsets\":[[0,5],[6,11]],\"s"
    "pecial\":[0,0],\"attention\":[1,1],\"words\":[0,1],\"seq\":[0,0],\"overflowing\":[]}},{\"p\""
    ":\"seq_bert_bl\",\"a\":{\"ids\":[20,22,21],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0"
    "120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids\":["
    "24],\"type_ids\":[0],\"tokens\":[\"\\u0120there\"],\"offsets\":[[0,6]],\"words\":[0]},\"add"
    "\":true,\"expect\":{\"ids\":[1,20,22,21,2,24,2],\"type_ids\":[0,0,0,0,0,1,1],\"tokens\":[\"["
    "CLS]\",\"Hello\",\"\\u0120\",\"\\u0120world\",\"[SEP]\",\"\\u0120there\",\"[SEP]\"],\"offset"
    "s\":[[0,0],[0,5],[6,6],[7,12],[0,0],[0,6],[0,0]],\"special\":[1,0,0,0,1,0,1],\"attention\":["
    "1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,0,-1],\"seq\":[0,0,0,0,0,1,1],\"overflowing\":[]}},{\""
    "p\":\"seq_bert_bl\",\"a\":{\"ids\":[20,22,21],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\""
    "\\u0120\",\"\\u0120world\"],\"offsets\":[[0,5],[5,6],[6,12]],\"words\":[0,1,2]},\"b\":{\"ids"
    "\":[24],\"type_ids\":[0],\"tokens\":[\"\\u0120there\"],\"offsets\":[[0,6]],\"words\":[0]},\""
    "add\":false,\"expect\":{\"ids\":[20,22,21,24],\"type_ids\":[0,0,0,1],\"tokens\":[\"Hello\","
    "\"\\u0120\",\"\\u0120world\",\"\\u0120there\"],\"offsets\":[[0,5],[6,6],[7,12],[0,6]],\"spec"
    "ial\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[0,1,2,0],\"seq\":[0,0,0,1],\"overflowing"
    "\":[]}},{\"p\":\"seq_bert_bl\",\"a\":{\"ids\":[21,23],\"type_ids\":[0,0],\"tokens\":[\"\\u01"
    "20world\",\"\\u0120\\u0120\"],\"offsets\":[[0,6],[6,8]],\"words\":[0,1]},\"b\":{\"ids\":[20,"
    "26,22],\"type_ids\":[0,0,0],\"tokens\":[\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,"
    "5],[5,7],[7,8]],\"words\":[0,1,2]},\"add\":true,\"expect\":{\"ids\":[1,21,23,2,20,26,22,2],"
    "\"type_ids\":[0,0,0,0,1,1,1,1],\"tokens\":[\"[CLS]\",\"\\u0120world\",\"\\u0120\\u0120\",\"["
    "SEP]\",\"Hello\",\"\\u0120!\",\"\\u0120\",\"[SEP]\"],\"offsets\":[[0,0],[0,6],[8,8],[0,0],[0"
    ",5],[6,7],[8,8],[0,0]],\"special\":[1,0,0,1,0,0,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words"
    "\":[-1,0,1,-1,0,1,2,-1],\"seq\":[0,0,0,0,1,1,1,1],\"overflowing\":[]}},{\"p\":\"seq_bert_bl"
    "\",\"a\":{\"ids\":[21,23],\"type_ids\":[0,0],\"tokens\":[\"\\u0120world\",\"\\u0120\\u0120\""
    "],\"offsets\":[[0,6],[6,8]],\"words\":[0,1]},\"b\":{\"ids\":[20,26,22],\"type_ids\":[0,0,0],"
    "\"tokens\":[\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,5],[5,7],[7,8]],\"words\":[0"
    ",1,2]},\"add\":false,\"expect\":{\"ids\":[21,23,20,26,22],\"type_ids\":[0,0,1,1,1],\"tokens"
    "\":[\"\\u0120world\",\"\\u0120\\u0120\",\"Hello\",\"\\u0120!\",\"\\u0120\"],\"offsets\":[[0,"
    "6],[8,8],[0,5],[6,7],[8,8]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1"
    ",0,1,2],\"seq\":[0,0,1,1,1],\"overflowing\":[]}},{\"p\":\"template\",\"a\":{\"ids\":[11,12,1"
    "3,14,15,16,17],\"type_ids\":[0,0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\","
    "\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7],[8,9],[10,11],[12,13]],\"words\":[0,1,2,3,4,5,6]"
    "},\"b\":null,\"add\":true,\"trunc\":{\"a\":4,\"b\":-1,\"stride\":1,\"left\":false},\"expect"
    "\":{\"ids\":[1,11,12,13,14,2],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"[CLS]\",\"a\",\"b\","
    "\"c\",\"d\",\"[SEP]\"],\"offsets\":[[0,0],[0,1],[2,3],[4,5],[6,7],[0,0]],\"special\":[1,0,0,"
    "0,0,1],\"attention\":[1,1,1,1,1,1],\"words\":[-1,0,1,2,3,-1],\"seq\":[-1,0,0,0,0,-1],\"overf"
    "lowing\":[{\"ids\":[1,14,15,16,17,2],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"[CLS]\",\"d\","
    "\"e\",\"f\",\"g\",\"[SEP]\"],\"offsets\":[[0,0],[6,7],[8,9],[10,11],[12,13],[0,0]],\"special"
    "\":[1,0,0,0,0,1],\"attention\":[1,1,1,1,1,1],\"words\":[-1,3,4,5,6,-1],\"seq\":[-1,0,0,0,0,-"
    "1],\"overflowing\":[]}]}},{\"p\":\"template\",\"a\":{\"ids\":[11,12,13,14,15,16,17],\"type_i"
    "ds\":[0,0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,"
    "1],[2,3],[4,5],[6,7],[8,9],[10,11],[12,13]],\"words\":[0,1,2,3,4,5,6]},\"b\":null,\"add\":fa"
    "lse,\"trunc\":{\"a\":6,\"b\":-1,\"stride\":1,\"left\":false},\"expect\":{\"ids\":[11,12,13,1"
    "4,15,16],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"],\"offse"
    "ts\":[[0,1],[2,3],[4,5],[6,7],[8,9],[10,11]],\"special\":[0,0,0,0,0,0],\"attention\":[1,1,1,"
    "1,1,1],\"words\":[0,1,2,3,4,5],\"seq\":[0,0,0,0,0,0],\"overflowing\":[{\"ids\":[16,17],\"typ"
    "e_ids\":[0,0],\"tokens\":[\"f\",\"g\"],\"offsets\":[[10,11],[12,13]],\"special\":[0,0],\"att"
    "ention\":[1,1],\"words\":[5,6],\"seq\":[0,0],\"overflowing\":[]}]}},{\"p\":\"template\",\"a"
    "\":{\"ids\":[11,12,13],\"type_ids\":[0,0,0],\"tokens\":[\"a\",\"b\",\"c\"],\"offsets\":[[0,1"
    "],[2,3],[4,5]],\"words\":[0,1,2]},\"b\":{\"ids\":[14,15,16,17],\"type_ids\":[0,0,0,0],\"toke"
    "ns\":[\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7]],\"words\":[0,1,2,3]},\""
    "add\":true,\"trunc\":{\"a\":-1,\"b\":2,\"stride\":1,\"left\":false},\"expect\":{\"ids\":[1,1"
    "1,12,13,2,14,15,2],\"type_ids\":[0,0,0,0,0,1,1,1],\"tokens\":[\"[CLS]\",\"a\",\"b\",\"c\",\""
    "[SEP]\",\"d\",\"e\",\"[SEP]\"],\"offsets\":[[0,0],[0,1],[2,3],[4,5],[0,0],[0,1],[2,3],[0,0]]"
    ",\"special\":[1,0,0,0,1,0,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,0,1,-1"
    "],\"seq\":[-1,0,0,0,-1,1,1,-1],\"overflowing\":[{\"ids\":[1,11,12,13,2,15,16,2],\"type_ids\""
    ":[0,0,0,0,0,0,0,1],\"tokens\":[\"[CLS]\",\"a\",\"b\",\"c\",\"[SEP]\",\"e\",\"f\",\"[SEP]\"],"
    "\"offsets\":[[0,0],[0,1],[2,3],[4,5],[0,0],[2,3],[4,5],[0,0]],\"special\":[1,0,0,0,1,0,0,1],"
    "\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,1,2,-1],\"seq\":[-1,0,0,0,-1,1,1,-1],"
    "\"overflowing\":[]},{\"ids\":[1,11,12,13,2,16,17,2],\"type_ids\":[0,0,0,0,0,0,0,1],\"tokens"
    "\":[\"[CLS]\",\"a\",\"b\",\"c\",\"[SEP]\",\"f\",\"g\",\"[SEP]\"],\"offsets\":[[0,0],[0,1],[2"
    ",3],[4,5],[0,0],[4,5],[6,7],[0,0]],\"special\":[1,0,0,0,1,0,0,1],\"attention\":[1,1,1,1,1,1,"
    "1,1],\"words\":[-1,0,1,2,-1,2,3,-1],\"seq\":[-1,0,0,0,-1,1,1,-1],\"overflowing\":[]}]}},{\"p"
    "\":\"template\",\"a\":{\"ids\":[11,12,13],\"type_ids\":[0,0,0],\"tokens\":[\"a\",\"b\",\"c\""
    "],\"offsets\":[[0,1],[2,3],[4,5]],\"words\":[0,1,2]},\"b\":{\"ids\":[14,15,16,17],\"type_ids"
    "\":[0,0,0,0],\"tokens\":[\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7]],\"wo"
    "rds\":[0,1,2,3]},\"add\":false,\"trunc\":{\"a\":-1,\"b\":5,\"stride\":1,\"left\":false},\"ex"
    "pect\":{\"ids\":[11,12,13,14,15,16,17],\"type_ids\":[0,0,0,1,1,1,1],\"tokens\":[\"a\",\"b\","
    "\"c\",\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[0,1],[2,3],[4,5],[6,7]],\"spe"
    "cial\":[0,0,0,0,0,0,0],\"attention\":[1,1,1,1,1,1,1],\"words\":[0,1,2,0,1,2,3],\"seq\":[0,0,"
    "0,1,1,1,1],\"overflowing\":[]}},{\"p\":\"template\",\"a\":{\"ids\":[11,12,13,14,15],\"type_i"
    "ds\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"offsets\":[[0,1],[2,3],[4,5],["
    "6,7],[8,9]],\"words\":[0,1,2,3,4]},\"b\":{\"ids\":[16,17],\"type_ids\":[0,0],\"tokens\":[\"f"
    "\",\"g\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":true,\"trunc\":{\"a\":2,\"b\":-"
    "1,\"stride\":0,\"left\":true},\"expect\":{\"ids\":[1,14,15,2,16,17,2],\"type_ids\":[0,0,0,0,"
    "1,1,1],\"tokens\":[\"[CLS]\",\"d\",\"e\",\"[SEP]\",\"f\",\"g\",\"[SEP]\"],\"offsets\":[[0,0]"
    ",[6,7],[8,9],[0,0],[0,1],[2,3],[0,0]],\"special\":[1,0,0,1,0,0,1],\"attention\":[1,1,1,1,1,1"
    ",1],\"words\":[-1,3,4,-1,0,1,-1],\"seq\":[-1,0,0,-1,1,1,-1],\"overflowing\":[{\"ids\":[1,12,"
    "13,2,16,17,2],\"type_ids\":[0,0,0,0,1,1,1],\"tokens\":[\"[CLS]\",\"b\",\"c\",\"[SEP]\",\"f\""
    ",\"g\",\"[SEP]\"],\"offsets\":[[0,0],[2,3],[4,5],[0,0],[0,1],[2,3],[0,0]],\"special\":[1,0,0"
    ",1,0,0,1],\"attention\":[1,1,1,1,1,1,1],\"words\":[-1,1,2,-1,0,1,-1],\"seq\":[-1,0,0,-1,1,1,"
    "-1],\"overflowing\":[]},{\"ids\":[1,11,2,16,17,2],\"type_ids\":[0,0,0,1,1,1],\"tokens\":[\"["
    "CLS]\",\"a\",\"[SEP]\",\"f\",\"g\",\"[SEP]\"],\"offsets\":[[0,0],[0,1],[0,0],[0,1],[2,3],[0,"
    "0]],\"special\":[1,0,1,0,0,1],\"attention\":[1,1,1,1,1,1],\"words\":[-1,0,-1,0,1,-1],\"seq\""
    ":[-1,0,-1,1,1,-1],\"overflowing\":[]}]}},{\"p\":\"template\",\"a\":{\"ids\":[11,12,13,14,15]"
    ",\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"offsets\":[[0,1],[2,3"
    "],[4,5],[6,7],[8,9]],\"words\":[0,1,2,3,4]},\"b\":{\"ids\":[16,17],\"type_ids\":[0,0],\"toke"
    "ns\":[\"f\",\"g\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":false,\"trunc\":{\"a\""
    ":5,\"b\":-1,\"stride\":0,\"left\":true},\"expect\":{\"ids\":[11,12,13,14,15,16,17],\"type_id"
    "s\":[0,0,0,0,0,1,1],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1"
    "],[2,3],[4,5],[6,7],[8,9],[0,1],[2,3]],\"special\":[0,0,0,0,0,0,0],\"attention\":[1,1,1,1,1,"
    "1,1],\"words\":[0,1,2,3,4,0,1],\"seq\":[0,0,0,0,0,1,1],\"overflowing\":[]}},{\"p\":\"bert\","
    "\"a\":{\"ids\":[11,12,13],\"type_ids\":[0,0,0],\"tokens\":[\"a\",\"b\",\"c\"],\"offsets\":[["
    "0,1],[2,3],[4,5]],\"words\":[0,1,2]},\"b\":{\"ids\":[14,15,16,17],\"type_ids\":[0,0,0,0],\"t"
    "okens\":[\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7]],\"words\":[0,1,2,3]}"
    ",\"add\":true,\"trunc\":{\"a\":-1,\"b\":2,\"stride\":1,\"left\":false},\"expect\":{\"ids\":["
    "1,11,12,13,2,14,15,2],\"type_ids\":[0,0,0,0,0,1,1,1],\"tokens\":[\"[CLS]\",\"a\",\"b\",\"c\""
    ",\"[SEP]\",\"d\",\"e\",\"[SEP]\"],\"offsets\":[[0,0],[0,1],[2,3],[4,5],[0,0],[0,1],[2,3],[0,"
    "0]],\"special\":[1,0,0,0,1,0,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,0,1"
    ",-1],\"seq\":[-1,0,0,0,-1,1,1,-1],\"overflowing\":[{\"ids\":[1,11,12,13,2,15,16,2],\"type_id"
    "s\":[0,0,0,0,0,0,0,1],\"tokens\":[\"[CLS]\",\"a\",\"b\",\"c\",\"[SEP]\",\"e\",\"f\",\"[SEP]"
    "\"],\"offsets\":[[0,0],[0,1],[2,3],[4,5],[0,0],[2,3],[4,5],[0,0]],\"special\":[1,0,0,0,1,0,0"
    ",1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,1,2,-1],\"seq\":[-1,0,0,0,-1,1,1,"
    "-1],\"overflowing\":[]},{\"ids\":[1,11,12,13,2,16,17,2],\"type_ids\":[0,0,0,0,0,0,0,1],\"tok"
    "ens\":[\"[CLS]\",\"a\",\"b\",\"c\",\"[SEP]\",\"f\",\"g\",\"[SEP]\"],\"offsets\":[[0,0],[0,1]"
    ",[2,3],[4,5],[0,0],[4,5],[6,7],[0,0]],\"special\":[1,0,0,0,1,0,0,1],\"attention\":[1,1,1,1,1"
    ",1,1,1],\"words\":[-1,0,1,2,-1,2,3,-1],\"seq\":[-1,0,0,0,-1,1,1,-1],\"overflowing\":[]}]}},{"
    "\"p\":\"bert\",\"a\":{\"ids\":[11,12,13],\"type_ids\":[0,0,0],\"tokens\":[\"a\",\"b\",\"c\"]"
    ",\"offsets\":[[0,1],[2,3],[4,5]],\"words\":[0,1,2]},\"b\":{\"ids\":[14,15,16,17],\"type_ids"
    "\":[0,0,0,0],\"tokens\":[\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7]],\"wo"
    "rds\":[0,1,2,3]},\"add\":false,\"trunc\":{\"a\":-1,\"b\":5,\"stride\":1,\"left\":false},\"ex"
    "pect\":{\"ids\":[11,12,13,14,15,16,17],\"type_ids\":[0,0,0,1,1,1,1],\"tokens\":[\"a\",\"b\","
    "\"c\",\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[0,1],[2,3],[4,5],[6,7]],\"spe"
    "cial\":[0,0,0,0,0,0,0],\"attention\":[1,1,1,1,1,1,1],\"words\":[0,1,2,0,1,2,3],\"seq\":[0,0,"
    "0,1,1,1,1],\"overflowing\":[]}},{\"p\":\"none\",\"a\":{\"ids\":[11,12,13,14,15],\"type_ids\""
    ":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7]"
    ",[8,9]],\"words\":[0,1,2,3,4]},\"b\":{\"ids\":[16,17],\"type_ids\":[0,0],\"tokens\":[\"f\","
    "\"g\"],\"offsets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":true,\"trunc\":{\"a\":2,\"b\":-1,"
    "\"stride\":1,\"left\":false},\"expect\":{\"ids\":[11,12,16,17],\"type_ids\":[0,0,0,0],\"toke"
    "ns\":[\"a\",\"b\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3]],\"special\":[0,0,0,0],"
    "\"attention\":[1,1,1,1],\"words\":[0,1,0,1],\"seq\":[0,0,1,1],\"overflowing\":[{\"ids\":[12,"
    "13,16,17],\"type_ids\":[0,0,0,0],\"tokens\":[\"b\",\"c\",\"f\",\"g\"],\"offsets\":[[2,3],[4,"
    "5],[0,1],[2,3]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[1,2,0,1],\"seq\":[0"
    ",0,0,0],\"overflowing\":[]},{\"ids\":[13,14,16,17],\"type_ids\":[0,0,0,0],\"tokens\":[\"c\","
    "\"d\",\"f\",\"g\"],\"offsets\":[[4,5],[6,7],[0,1],[2,3]],\"special\":[0,0,0,0],\"attention\""
    ":[1,1,1,1],\"words\":[2,3,0,1],\"seq\":[0,0,0,0],\"overflowing\":[]},{\"ids\":[14,15,16,17],"
    "\"type_ids\":[0,0,0,0],\"tokens\":[\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[6,7],[8,9],[0,1],["
    "2,3]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[3,4,0,1],\"seq\":[0,0,0,0],\""
    "overflowing\":[]}]}},{\"p\":\"none\",\"a\":{\"ids\":[11,12,13,14,15],\"type_ids\":[0,0,0,0,0"
    "],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7],[8,9]],\"w"
    "ords\":[0,1,2,3,4]},\"b\":{\"ids\":[16,17],\"type_ids\":[0,0],\"tokens\":[\"f\",\"g\"],\"off"
    "sets\":[[0,1],[2,3]],\"words\":[0,1]},\"add\":false,\"trunc\":{\"a\":2,\"b\":-1,\"stride\":1"
    ",\"left\":false},\"expect\":{\"ids\":[11,12,16,17],\"type_ids\":[0,0,0,0],\"tokens\":[\"a\","
    "\"b\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3]],\"special\":[0,0,0,0],\"attention\""
    ":[1,1,1,1],\"words\":[0,1,0,1],\"seq\":[0,0,1,1],\"overflowing\":[{\"ids\":[12,13,16,17],\"t"
    "ype_ids\":[0,0,0,0],\"tokens\":[\"b\",\"c\",\"f\",\"g\"],\"offsets\":[[2,3],[4,5],[0,1],[2,3"
    "]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[1,2,0,1],\"seq\":[0,0,0,0],\"ove"
    "rflowing\":[]},{\"ids\":[13,14,16,17],\"type_ids\":[0,0,0,0],\"tokens\":[\"c\",\"d\",\"f\","
    "\"g\"],\"offsets\":[[4,5],[6,7],[0,1],[2,3]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],"
    "\"words\":[2,3,0,1],\"seq\":[0,0,0,0],\"overflowing\":[]},{\"ids\":[14,15,16,17],\"type_ids"
    "\":[0,0,0,0],\"tokens\":[\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[6,7],[8,9],[0,1],[2,3]],\"sp"
    "ecial\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[3,4,0,1],\"seq\":[0,0,0,0],\"overflowin"
    "g\":[]}]}},{\"p\":\"none\",\"a\":{\"ids\":[11,12,13],\"type_ids\":[0,0,0],\"tokens\":[\"a\","
    "\"b\",\"c\"],\"offsets\":[[0,1],[2,3],[4,5]],\"words\":[0,1,2]},\"b\":{\"ids\":[14,15,16,17]"
    ",\"type_ids\":[0,0,0,0],\"tokens\":[\"d\",\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],"
    "[6,7]],\"words\":[0,1,2,3]},\"add\":true,\"trunc\":{\"a\":-1,\"b\":2,\"stride\":1,\"left\":f"
    "alse},\"expect\":{\"ids\":[11,12,13,14,15],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\","
    "\"c\",\"d\",\"e\"],\"offsets\":[[0,1],[2,3],[4,5],[0,1],[2,3]],\"special\":[0,0,0,0,0],\"att"
    "ention\":[1,1,1,1,1],\"words\":[0,1,2,0,1],\"seq\":[0,0,0,1,1],\"overflowing\":[{\"ids\":[11"
    ",12,13,15,16],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"e\",\"f\"],\"offsets"
    "\":[[0,1],[2,3],[4,5],[2,3],[4,5]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words"
    "\":[0,1,2,1,2],\"seq\":[0,0,0,-1,-1],\"overflowing\":[]},{\"ids\":[11,12,13,16,17],\"type_id"
    "s\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[4"
    ",5],[6,7]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,2,2,3],\"seq\":["
    "0,0,0,-1,-1],\"overflowing\":[]}]}},{\"p\":\"none\",\"a\":{\"ids\":[11,12,13],\"type_ids\":["
    "0,0,0],\"tokens\":[\"a\",\"b\",\"c\"],\"offsets\":[[0,1],[2,3],[4,5]],\"words\":[0,1,2]},\"b"
    "\":{\"ids\":[14,15,16,17],\"type_ids\":[0,0,0,0],\"tokens\":[\"d\",\"e\",\"f\",\"g\"],\"offs"
    "ets\":[[0,1],[2,3],[4,5],[6,7]],\"words\":[0,1,2,3]},\"add\":false,\"trunc\":{\"a\":-1,\"b\""
    ":2,\"stride\":1,\"left\":false},\"expect\":{\"ids\":[11,12,13,14,15],\"type_ids\":[0,0,0,0,0"
    "],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"offsets\":[[0,1],[2,3],[4,5],[0,1],[2,3]],\"s"
    "pecial\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,2,0,1],\"seq\":[0,0,0,1,1],\"o"
    "verflowing\":[{\"ids\":[11,12,13,15,16],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c"
    "\",\"e\",\"f\"],\"offsets\":[[0,1],[2,3],[4,5],[2,3],[4,5]],\"special\":[0,0,0,0,0],\"attent"
    "ion\":[1,1,1,1,1],\"words\":[0,1,2,1,2],\"seq\":[0,0,0,-1,-1],\"overflowing\":[]},{\"ids\":["
    "11,12,13,16,17],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"f\",\"g\"],\"offset"
    "s\":[[0,1],[2,3],[4,5],[4,5],[6,7]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"word"
    "s\":[0,1,2,2,3],\"seq\":[0,0,0,-1,-1],\"overflowing\":[]}]}},{\"p\":\"roberta_nt\",\"a\":{\""
    "ids\":[11,12,13,14,15,16],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\",\"e"
    "\",\"f\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7],[8,9],[10,11]],\"words\":[0,1,2,3,4,5]},\"b\""
    ":{\"ids\":[17],\"type_ids\":[0],\"tokens\":[\"g\"],\"offsets\":[[0,1]],\"words\":[0]},\"add"
    "\":true,\"trunc\":{\"a\":3,\"b\":-1,\"stride\":2,\"left\":false},\"expect\":{\"ids\":[9,11,1"
    "2,13,10,10,17,10],\"type_ids\":[0,0,0,0,0,0,0,0],\"tokens\":[\"<s>\",\"a\",\"b\",\"c\",\"</s"
    ">\",\"</s>\",\"g\",\"</s>\"],\"offsets\":[[0,0],[0,1],[2,3],[4,5],[0,0],[0,0],[0,1],[0,0]],"
    "\"special\":[1,0,0,0,1,1,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,-1,0,-1"
    "],\"seq\":[-1,0,0,0,-1,-1,1,-1],\"overflowing\":[{\"ids\":[9,12,13,14,10,10,17,10],\"type_id"
    "s\":[0,0,0,0,0,0,0,0],\"tokens\":[\"<s>\",\"b\",\"c\",\"d\",\"</s>\",\"</s>\",\"g\",\"</s>\""
    "],\"offsets\":[[0,0],[2,3],[4,5],[6,7],[0,0],[0,0],[0,1],[0,0]],\"special\":[1,0,0,0,1,1,0,1"
    "],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,1,2,3,-1,-1,0,-1],\"seq\":[-1,0,0,0,-1,-1,1,"
    "-1],\"overflowing\":[]},{\"ids\":[9,13,14,15,10,10,17,10],\"type_ids\":[0,0,0,0,0,0,0,0],\"t"
    "okens\":[\"<s>\",\"c\",\"d\",\"e\",\"</s>\",\"</s>\",\"g\",\"</s>\"],\"offsets\":[[0,0],[4,5"
    "],[6,7],[8,9],[0,0],[0,0],[0,1],[0,0]],\"special\":[1,0,0,0,1,1,0,1],\"attention\":[1,1,1,1,"
    "1,1,1,1],\"words\":[-1,2,3,4,-1,-1,0,-1],\"seq\":[-1,0,0,0,-1,-1,1,-1],\"overflowing\":[]},{"
    "\"ids\":[9,14,15,16,10,10,17,10],\"type_ids\":[0,0,0,0,0,0,0,0],\"tokens\":[\"<s>\",\"d\",\""
    "e\",\"f\",\"</s>\",\"</s>\",\"g\",\"</s>\"],\"offsets\":[[0,0],[6,7],[8,9],[10,11],[0,0],[0,"
    "0],[0,1],[0,0]],\"special\":[1,0,0,0,1,1,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,"
    "3,4,5,-1,-1,0,-1],\"seq\":[-1,0,0,0,-1,-1,1,-1],\"overflowing\":[]}]}},{\"p\":\"roberta_nt\""
    ",\"a\":{\"ids\":[11,12,13,14,15,16],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\""
    ",\"d\",\"e\",\"f\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7],[8,9],[10,11]],\"words\":[0,1,2,3,4"
    ",5]},\"b\":{\"ids\":[17],\"type_ids\":[0],\"tokens\":[\"g\"],\"offsets\":[[0,1]],\"words\":["
    "0]},\"add\":false,\"trunc\":{\"a\":7,\"b\":-1,\"stride\":2,\"left\":false},\"expect\":{\"ids"
    "\":[11,12,13,14,15,16,17],\"type_ids\":[0,0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\","
    "\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7],[8,9],[10,11],[0,1]],\"special\":[0,"
    "0,0,0,0,0,0],\"attention\":[1,1,1,1,1,1,1],\"words\":[0,1,2,3,4,5,0],\"seq\":[0,0,0,0,0,0,1]"
    ",\"overflowing\":[]}},{\"p\":\"template_multi\",\"a\":{\"ids\":[11,12,13,14],\"type_ids\":[0"
    ",0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\"],\"offsets\":[[0,1],[2,3],[4,5],[6,7]],\"words\""
    ":[0,1,2,3]},\"b\":{\"ids\":[15,16,17],\"type_ids\":[0,0,0],\"tokens\":[\"e\",\"f\",\"g\"],\""
    "offsets\":[[0,1],[2,3],[4,5]],\"words\":[0,1,2]},\"add\":true,\"trunc\":{\"a\":-1,\"b\":2,\""
    "stride\":1,\"left\":true},\"expect\":{\"ids\":[10,9,16,17,11,12,13,14],\"type_ids\":[1,1,0,0"
    ",1,1,1,1],\"tokens\":[\"</s>\",\"<s>\",\"f\",\"g\",\"a\",\"b\",\"c\",\"d\"],\"offsets\":[[0,"
    "0],[0,0],[2,3],[4,5],[0,1],[2,3],[4,5],[6,7]],\"special\":[1,1,0,0,0,0,0,0],\"attention\":[1"
    ",1,1,1,1,1,1,1],\"words\":[-1,-1,1,2,0,1,2,3],\"seq\":[-1,-1,1,1,0,0,0,0],\"overflowing\":[{"
    "\"ids\":[10,9,15,16,11,12,13,14],\"type_ids\":[1,1,0,0,1,1,1,1],\"tokens\":[\"</s>\",\"<s>\""
    ",\"e\",\"f\",\"a\",\"b\",\"c\",\"d\"],\"offsets\":[[0,0],[0,0],[0,1],[2,3],[0,1],[2,3],[4,5]"
    ",[6,7]],\"special\":[1,1,0,0,0,0,0,0],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,-1,0,1,0"
    ",1,2,3],\"seq\":[-1,-1,1,1,0,0,0,0],\"overflowing\":[]}]}},{\"p\":\"template_multi\",\"a\":{"
    "\"ids\":[11,12,13,14],\"type_ids\":[0,0,0,0],\"tokens\":[\"a\",\"b\",\"c\",\"d\"],\"offsets"
    "\":[[0,1],[2,3],[4,5],[6,7]],\"words\":[0,1,2,3]},\"b\":{\"ids\":[15,16,17],\"type_ids\":[0,"
    "0,0],\"tokens\":[\"e\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[4,5]],\"words\":[0,1,2]},\"add"
    "\":false,\"trunc\":{\"a\":-1,\"b\":4,\"stride\":1,\"left\":true},\"expect\":{\"ids\":[15,16,"
    "17,11,12,13,14],\"type_ids\":[0,0,0,1,1,1,1],\"tokens\":[\"e\",\"f\",\"g\",\"a\",\"b\",\"c\""
    ",\"d\"],\"offsets\":[[0,1],[2,3],[4,5],[0,1],[2,3],[4,5],[6,7]],\"special\":[0,0,0,0,0,0,0],"
    "\"attention\":[1,1,1,1,1,1,1],\"words\":[0,1,2,0,1,2,3],\"seq\":[1,1,1,0,0,0,0],\"overflowin"
    "g\":[]}}]}";

static const char ENC_JSON[] =
    "{\"merge_ab\":{\"ids\":[13,14,16,17],\"type_ids\":[0,0,0,0],\"tokens\":[\"c\",\"d\",\"f\",\""
    "g\"],\"offsets\":[[4,5],[6,7],[2,3],[4,5]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"w"
    "ords\":[2,3,1,2],\"seq\":[0,0,0,0],\"overflowing\":[{\"ids\":[11,12,16,17],\"type_ids\":[0,0"
    ",0,0],\"tokens\":[\"a\",\"b\",\"f\",\"g\"],\"offsets\":[[0,1],[2,3],[2,3],[4,5]],\"special\""
    ":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[0,1,1,2],\"seq\":[0,0,0,0],\"overflowing\":[{"
    "\"ids\":[11,12,15,16],\"type_ids\":[0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\"],\"offsets"
    "\":[[0,1],[2,3],[0,1],[2,3]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[0,1,0,"
    "1],\"seq\":[0,0,0,0],\"overflowing\":[]}]},{\"ids\":[11,12,15,16],\"type_ids\":[0,0,0,0],\"t"
    "okens\":[\"a\",\"b\",\"e\",\"f\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3]],\"special\":[0,0,0,0"
    "],\"attention\":[1,1,1,1],\"words\":[0,1,0,1],\"seq\":[0,0,0,0],\"overflowing\":[]},{\"ids\""
    ":[13,14,15,16],\"type_ids\":[0,0,0,0],\"tokens\":[\"c\",\"d\",\"e\",\"f\"],\"offsets\":[[4,5"
    "],[6,7],[0,1],[2,3]],\"special\":[0,0,0,0],\"attention\":[1,1,1,1],\"words\":[2,3,0,1],\"seq"
    "\":[0,0,0,0],\"overflowing\":[{\"ids\":[11,12,15,16],\"type_ids\":[0,0,0,0],\"tokens\":[\"a"
    "\",\"b\",\"e\",\"f\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3]],\"special\":[0,0,0,0],\"attentio"
    "n\":[1,1,1,1],\"words\":[0,1,0,1],\"seq\":[0,0,0,0],\"overflowing\":[]}]}]},\"merge_abc\":{"
    "\"ids\":[13,14,16,17,11,12],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"c\",\"d\",\"f\",\"g\","
    "\"a\",\"b\"],\"offsets\":[[4,5],[6,7],[2,3],[4,5],[2,3],[4,5]],\"special\":[0,0,0,0,0,0],\"a"
    "ttention\":[1,1,1,1,1,1],\"words\":[2,3,1,2,1,2],\"seq\":[0,0,0,0,0,0],\"overflowing\":[{\"i"
    "ds\":[11,12,16,17,11,12],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"f\",\"g\",\"a"
    "\",\"b\"],\"offsets\":[[0,1],[2,3],[2,3],[4,5],[2,3],[4,5]],\"special\":[0,0,0,0,0,0],\"atte"
    "ntion\":[1,1,1,1,1,1],\"words\":[0,1,1,2,1,2],\"seq\":[0,0,0,0,0,0],\"overflowing\":[{\"ids"
    "\":[11,12,15,16,11,12],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"a\","
    "\"b\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[2,3],[4,5]],\"special\":[0,0,0,0,0,0],\"attenti"
    "on\":[1,1,1,1,1,1],\"words\":[0,1,0,1,1,2],\"seq\":[0,0,0,0,0,0],\"overflowing\":[{\"ids\":["
    "11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"h\"],\"offset"
    "s\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"word"
    "s\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[]}]},{\"ids\":[11,12,15,16,18],\"type_i"
    "ds\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],["
    "2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":"
    "[0,0,0,0,0],\"overflowing\":[]},{\"ids\":[11,12,16,17,18],\"type_ids\":[0,0,0,0,0],\"tokens"
    "\":[\"a\",\"b\",\"f\",\"g\",\"h\"],\"offsets\":[[0,1],[2,3],[2,3],[4,5],[0,1]],\"special\":["
    "0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,1,2,0],\"seq\":[0,0,0,0,0],\"overflowing"
    "\":[{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\","
    "\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,"
    "1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[]}]}]},{\"ids\":[11,12,1"
    "6,17,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"f\",\"g\",\"h\"],\"offsets\":[[0"
    ",1],[2,3],[2,3],[4,5],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,"
    "1,1,2,0],\"seq\":[0,0,0,0,0],\"overflowing\":[{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,"
    "0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],"
    "\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],"
    "\"overflowing\":[]}]},{\"ids\":[11,12,15,16,11,12],\"type_ids\":[0,0,0,0,0,0],\"tokens\":[\""
    "a\",\"b\",\"e\",\"f\",\"a\",\"b\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[2,3],[4,5]],\"speci"
    "al\":[0,0,0,0,0,0],\"attention\":[1,1,1,1,1,1],\"words\":[0,1,0,1,1,2],\"seq\":[0,0,0,0,0,0]"
    ",\"overflowing\":[{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\""
    ",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"at"
    "tention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[]}]},{\"ids"
    "\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"h\"],\"of"
    "fsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\""
    "words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[]},{\"ids\":[13,14,15,16,11,12],\"t"
    "ype_ids\":[0,0,0,0,0,0],\"tokens\":[\"c\",\"d\",\"e\",\"f\",\"a\",\"b\"],\"offsets\":[[4,5],"
    "[6,7],[0,1],[2,3],[2,3],[4,5]],\"special\":[0,0,0,0,0,0],\"attention\":[1,1,1,1,1,1],\"words"
    "\":[2,3,0,1,1,2],\"seq\":[0,0,0,0,0,0],\"overflowing\":[{\"ids\":[11,12,15,16,11,12],\"type_"
    "ids\":[0,0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"a\",\"b\"],\"offsets\":[[0,1],[2,3"
    "],[0,1],[2,3],[2,3],[4,5]],\"special\":[0,0,0,0,0,0],\"attention\":[1,1,1,1,1,1],\"words\":["
    "0,1,0,1,1,2],\"seq\":[0,0,0,0,0,0],\"overflowing\":[{\"ids\":[11,12,15,16,18],\"type_ids\":["
    "0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],["
    "0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0"
    ",0,0],\"overflowing\":[]}]},{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":["
    "\"a\",\"b\",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,"
    "0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":["
    "]},{\"ids\":[13,14,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"c\",\"d\",\"e\",\"f\",\""
    "h\"],\"offsets\":[[4,5],[6,7],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,"
    "1,1,1],\"words\":[2,3,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[{\"ids\":[11,12,15,16,18],"
    "\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3]"
    ",[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],"
    "\"seq\":[0,0,0,0,0],\"overflowing\":[]}]}]},{\"ids\":[13,14,15,16,18],\"type_ids\":[0,0,0,0,"
    "0],\"tokens\":[\"c\",\"d\",\"e\",\"f\",\"h\"],\"offsets\":[[4,5],[6,7],[0,1],[2,3],[0,1]],\""
    "special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[2,3,0,1,0],\"seq\":[0,0,0,0,0],\""
    "overflowing\":[{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\""
    "e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"atten"
    "tion\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[]}]},{\"ids\":"
    "[13,14,16,17,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"c\",\"d\",\"f\",\"g\",\"h\"],\"offse"
    "ts\":[[4,5],[6,7],[2,3],[4,5],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"wor"
    "ds\":[2,3,1,2,0],\"seq\":[0,0,0,0,0],\"overflowing\":[{\"ids\":[11,12,16,17,18],\"type_ids\""
    ":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"f\",\"g\",\"h\"],\"offsets\":[[0,1],[2,3],[2,3],[4,5]"
    ",[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,1,2,0],\"seq\":[0,0"
    ",0,0,0],\"overflowing\":[{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a"
    "\",\"b\",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0"
    ",0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[]}]"
    "},{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"a\",\"b\",\"e\",\"f\",\"h"
    "\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1"
    ",1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overflowing\":[]},{\"ids\":[13,14,15,16,18"
    "],\"type_ids\":[0,0,0,0,0],\"tokens\":[\"c\",\"d\",\"e\",\"f\",\"h\"],\"offsets\":[[4,5],[6,"
    "7],[0,1],[2,3],[0,1]],\"special\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[2,3,0,1,0"
    "],\"seq\":[0,0,0,0,0],\"overflowing\":[{\"ids\":[11,12,15,16,18],\"type_ids\":[0,0,0,0,0],\""
    "tokens\":[\"a\",\"b\",\"e\",\"f\",\"h\"],\"offsets\":[[0,1],[2,3],[0,1],[2,3],[0,1]],\"speci"
    "al\":[0,0,0,0,0],\"attention\":[1,1,1,1,1],\"words\":[0,1,0,1,0],\"seq\":[0,0,0,0,0],\"overf"
    "lowing\":[]}]}]}]},\"pad_left\":{\"ids\":[7,7,12,13],\"type_ids\":[3,3,0,0],\"tokens\":[\"[P"
    "AD]\",\"[PAD]\",\"b\",\"c\"],\"offsets\":[[0,0],[0,0],[2,3],[4,5]],\"special\":[1,1,0,0],\"a"
    "ttention\":[0,0,1,1],\"words\":[-1,-1,1,2],\"seq\":[0,0,0,0],\"overflowing\":[{\"ids\":[7,7,"
    "7,11],\"type_ids\":[3,3,3,0],\"tokens\":[\"[PAD]\",\"[PAD]\",\"[PAD]\",\"a\"],\"offsets\":[["
    "0,0],[0,0],[0,0],[0,1]],\"special\":[1,1,1,0],\"attention\":[0,0,0,1],\"words\":[-1,-1,-1,0]"
    ",\"seq\":[0,0,0,0],\"overflowing\":[]}]},\"pad_right\":{\"ids\":[12,13,7],\"type_ids\":[0,0,"
    "3],\"tokens\":[\"b\",\"c\",\"[PAD]\"],\"offsets\":[[2,3],[4,5],[0,0]],\"special\":[0,0,1],\""
    "attention\":[1,1,0],\"words\":[1,2,-1],\"seq\":[0,0,0],\"overflowing\":[{\"ids\":[11,7,7],\""
    "type_ids\":[0,3,3],\"tokens\":[\"a\",\"[PAD]\",\"[PAD]\"],\"offsets\":[[0,1],[0,0],[0,0]],\""
    "special\":[0,1,1],\"attention\":[1,0,0],\"words\":[0,-1,-1],\"seq\":[0,0,0],\"overflowing\":"
    "[]}]},\"chars\":{\"ids\":[1,30,31,32,2,33,34,2],\"type_ids\":[0,0,0,0,0,1,1,1],\"tokens\":["
    "\"[CLS]\",\"h\\u00e9llo\",\"w\\u00f6rld\\ud83d\\ude00\",\"x\",\"[SEP]\",\"\\u65e5\\u672c\","
    "\"\\u8a9e\",\"[SEP]\"],\"offsets\":[[0,0],[0,5],[7,13],[14,15],[0,0],[0,2],[3,4],[0,0]],\"sp"
    "ecial\":[1,0,0,0,1,0,0,1],\"attention\":[1,1,1,1,1,1,1,1],\"words\":[-1,0,1,2,-1,0,1,-1],\"s"
    "eq\":[-1,0,0,0,-1,1,1,-1],\"overflowing\":[]}}";

static const char DEC_JSON[] =
    "[{\"dec\":{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true},\"tokens\":[\"##a\",\""
    "hello\",\"##world\",\"do\",\"not\",\"you\",\"'\",\"re\",\".\",\"##s\",\"is\",\"n't\",\"!\","
    "\"a\",\",\",\"b\",\"'\",\"s\",\"?\"],\"expect\":\"##a helloworld do not you ' re.s isn't! a,"
    " b ' s?\"},{\"dec\":{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":false},\"tokens\":"
    "[\"hello\",\"##world\",\"do\",\"not\",\".\",\" ##x\"],\"expect\":\"helloworld do not .  ##x"
    "\"},{\"dec\":{\"type\":\"WordPiece\",\"prefix\":\"@@\",\"cleanup\":true},\"tokens\":[\"un\","
    "\"@@able\",\"@@@@x\",\"I\",\"'m\",\"we\",\"'ve\",\"they\",\"'re\"],\"expect\":\"unable@@x I'"
    "m we've they're\"},{\"dec\":{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets"
    "\":true,\"use_regex\":true},\"tokens\":[\"Hello\",\"\\u0120world\",\"\\u0120\",\"\\u00e2\\u0"
    "122\",\"\\u013e\",\"\\u010a\"],\"expect\":\"Hello world \\u201c\\n\"},{\"dec\":{\"type\":\"B"
    "yteLevel\",\"add_prefix_space\":false,\"trim_offsets\":false,\"use_regex\":false},\"tokens\""
    ":[\"\\u00e2\\u0124\",\"A\",\"\\u00f0\\u0141\\u013a\",\"\\u00c0\\u0122A\",\"\\u00ed\\u0142\\u"
    "0122\",\"\\u00f4\\u0132\\u0122\\u0122\",\"\\u00e0\\u0122\",\"\\u00f0\\u0141\\u013a\\u0122\","
    "\"\\u20acx\",\"\\u00ff\\u00c3\"],\"expect\":\"\\ufffdA\\ufffd\\ufffd\\ufffdA\\ufffd\\ufffd\\"
    "ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ud83d\\ude00\\u20acx\\ufffd\\ufffd\"},{\"de"
    "c\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":false,\"use_regex\":"
    "false},\"tokens\":[\"\\u00f0\\u0141\",\"\\u013a\"],\"expect\":\"\\ufffd\"},{\"dec\":{\"type"
    "\":\"Metaspace\",\"replacement\":\"\\u2581\",\"prepend_scheme\":\"always\",\"split\":true},"
    "\"tokens\":[\"\\u2581Hey\",\"\\u2581\\u2581friend\",\"!\",\"\\u2581\"],\"expect\":\"Hey  fri"
    "end! \"},{\"dec\":{\"type\":\"Metaspace\",\"replacement\":\"\\u2581\",\"prepend_scheme\":\"f"
    "irst\",\"split\":false},\"tokens\":[\"a\\u2581b\",\"\\u2581c\"],\"expect\":\"ab c\"},{\"dec"
    "\":{\"type\":\"Metaspace\",\"replacement\":\"\\u2581\",\"prepend_scheme\":\"never\",\"split"
    "\":true},\"tokens\":[\"\\u2581Hey\",\"\\u2581friend\"],\"expect\":\" Hey friend\"},{\"dec\":"
    "{\"type\":\"Metaspace\",\"replacement\":\"_\",\"add_prefix_space\":false},\"tokens\":[\"_Hey"
    "\",\"_friend\"],\"error\":\"Error: add_prefix_space does not match declared prepend_scheme a"
    "t line 1 column 202\"},{\"dec\":{\"type\":\"Metaspace\",\"replacement\":\"_\",\"add_prefix_s"
    "pace\":true},\"tokens\":[\"_Hey\",\"_friend\"],\"expect\":\"Hey friend\"},{\"dec\":{\"type\""
    ":\"ByteFallback\"},\"tokens\":[\"<0x61>\",\"<0xE5>\",\"<0x8f>\",\"<0xab>\",\"x\",\"<0xE5>\","
    "\"<0x8f>\",\"<0x+F>\",\"<0x4g>\",\"<0x41>\",\"<0XFF>\",\"<0xC3>\"],\"expect\":\"a\\u53ebx\\u"
    "fffd\\ufffd\\ufffd<0x4g>A<0XFF>\\ufffd\"},{\"dec\":{\"type\":\"ByteFallback\"},\"tokens\":["
    "\"<0xF0>\",\"<0x9F>\",\"<0x98>\",\"<0x80>\"],\"expect\":\"\\ud83d\\ude00\"},{\"dec\":{\"type"
    "\":\"Fuse\"},\"tokens\":[\"a\",\"b c\",\"d\"],\"expect\":\"ab cd\"},{\"dec\":{\"type\":\"Str"
    "ip\",\"content\":\"H\",\"start\":1,\"stop\":0},\"tokens\":[\"Hey\",\"HHH\",\"friend\"],\"exp"
    "ect\":\"eyHHfriend\"},{\"dec\":{\"type\":\"Strip\",\"content\":\" \",\"start\":2,\"stop\":1}"
    ",\"tokens\":[\"   x  \",\"y \",\"\\u00e9 \",\"ab\"],\"expect\":\" x y\\u00e9ab\"},{\"dec\":{"
    "\"type\":\"Strip\",\"content\":\"\\u00e9\",\"start\":1,\"stop\":2},\"tokens\":[\"\\u00e9a\\u"
    "00e9\\u00e9\",\"\\u00e9\\u00e9\\u00e9\"],\"expect\":\"a\"},{\"dec\":{\"type\":\"Replace\",\""
    "pattern\":{\"String\":\"\\u2581\"},\"content\":\" \"},\"tokens\":[\"\\u2581Hey\\u2581\",\"x"
    "\\u2581\\u2581y\"],\"expect\":\" Hey x  y\"},{\"dec\":{\"type\":\"Replace\",\"pattern\":{\"R"
    "egex\":\"a+\"},\"content\":\"<A>\"},\"tokens\":[\"banana\",\"aaab\",\"xyz\"],\"expect\":\"b<"
    "A>n<A>n<A><A>bxyz\"},{\"dec\":{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"x*\"},\"content"
    "\":\"-\"},\"tokens\":[\"abc\",\"xxa\"],\"expect\":\"-a-b-c--a-\"},{\"dec\":{\"type\":\"BPEDe"
    "coder\",\"suffix\":\"</w>\"},\"tokens\":[\"hel\",\"lo</w>\",\"wor\",\"ld</w>\",\"x</w>y</w>"
    "\"],\"expect\":\"hello world xy\"},{\"dec\":{\"type\":\"BPEDecoder\",\"suffix\":\"##\"},\"to"
    "kens\":[\"a##\",\"b##\"],\"expect\":\"a b\"},{\"dec\":{\"type\":\"CTC\",\"pad_token\":\"<pad"
    ">\",\"word_delimiter_token\":\"|\",\"cleanup\":true},\"tokens\":[\"<pad>\",\"h\",\"h\",\"e\""
    ",\"<pad>\",\"l\",\"l\",\"<pad>\",\"l\",\"o\",\"|\",\"|\",\"w\",\"<pad>\",\"o\",\" .\",\"n't"
    "\"],\"expect\":\"hello wo.n't\"},{\"dec\":{\"type\":\"CTC\",\"pad_token\":\"<pad>\",\"word_d"
    "elimiter_token\":\"|\",\"cleanup\":false},\"tokens\":[\"<pad>\",\"a\",\"a\",\"|\",\"b\",\" ."
    "\"],\"expect\":\"a|b .\"},{\"dec\":{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace"
    "\",\"pattern\":{\"String\":\"\\u2581\"},\"content\":\" \"},{\"type\":\"ByteFallback\"},{\"ty"
    "pe\":\"Fuse\"},{\"type\":\"Strip\",\"content\":\" \",\"start\":1,\"stop\":0}]},\"tokens\":["
    "\"\\u2581Hello\",\"<0xE4>\",\"<0xBD>\",\"<0xA0>\",\"\\u2581x\",\"<0xE4>\"],\"expect\":\"Hell"
    "o\\u4f60 x\\ufffd\"},{\"dec\":{\"type\":\"Sequence\",\"decoders\":[]},\"tokens\":[\"a\",\"b"
    "\"],\"expect\":\"ab\"}]";

/* --- helpers ------------------------------------------------------------------ */

static ia_error err;
static tk_load ld = {"tokenizer.json", &err};

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v)
        fail_msg("expected data has no '%s'", k);
    return v;
}

static int geti(const cJSON *arr, int i)
{
    return (int)cJSON_GetArrayItem(arr, i)->valuedouble;
}

/* An encoding from a raw dump (ids, type_ids, tokens, offsets, words). */
static void build_raw(const cJSON *raw, int8_t seq, ia_encoding *e)
{
    const cJSON *ids = get(raw, "ids"), *types = get(raw, "type_ids"), *toks = get(raw, "tokens"),
                *offs = get(raw, "offsets"), *words = get(raw, "words");
    int n = cJSON_GetArraySize(ids);
    assert_int_equal(tk_encoding_init(e, (size_t)n, &err), IA_OK);
    for (int i = 0; i < n; i++) {
        const cJSON *o = cJSON_GetArrayItem(offs, i);
        ia_span sp = {(uint32_t)geti(o, 0), (uint32_t)geti(o, 1)};
        assert_int_equal(tk_encoding_push(e, geti(ids, i), cJSON_GetArrayItem(toks, i)->valuestring,
                                          sp, (uint32_t)geti(types, i), geti(words, i), seq,
                                          false, &err),
                         IA_OK);
    }
}

/* Compares every field of e, recursively, with the node dump x. */
static void check_enc(const ia_encoding *e, const cJSON *x, const char *ctx)
{
    const cJSON *ids = get(x, "ids");
    size_t n = (size_t)cJSON_GetArraySize(ids);
    if (e->n != n)
        fail_msg("%s: %zu tokens, Rust has %zu", ctx, e->n, n);
    const cJSON *types = get(x, "type_ids"), *toks = get(x, "tokens"), *offs = get(x, "offsets"),
                *spec = get(x, "special"), *att = get(x, "attention"), *words = get(x, "words"),
                *seq = get(x, "seq");
    for (size_t i = 0; i < n; i++) {
        int k = (int)i;
        const cJSON *o = cJSON_GetArrayItem(offs, k);
        if (e->ids[i] != geti(ids, k) || e->type_ids[i] != (uint32_t)geti(types, k) ||
            strcmp(e->tokens[i], cJSON_GetArrayItem(toks, k)->valuestring) != 0 ||
            e->offsets[i].begin != (uint32_t)geti(o, 0) ||
            e->offsets[i].end != (uint32_t)geti(o, 1) ||
            e->special_tokens_mask[i] != geti(spec, k) || e->attention_mask[i] != geti(att, k) ||
            e->word_ids[i] != geti(words, k) || e->sequence_ids[i] != geti(seq, k))
            fail_msg("%s: token %zu: got id %d type %u '%s' (%u,%u) special %u att %u word %d "
                     "seq %d; Rust: id %d type %d '%s' (%d,%d) special %d att %d word %d seq %d",
                     ctx, i, e->ids[i], e->type_ids[i], e->tokens[i], e->offsets[i].begin,
                     e->offsets[i].end, e->special_tokens_mask[i], e->attention_mask[i],
                     e->word_ids[i], e->sequence_ids[i], geti(ids, k), geti(types, k),
                     cJSON_GetArrayItem(toks, k)->valuestring, geti(o, 0), geti(o, 1),
                     geti(spec, k), geti(att, k), geti(words, k), geti(seq, k));
    }
    const cJSON *over = get(x, "overflowing");
    size_t no = (size_t)cJSON_GetArraySize(over);
    if (e->n_overflowing != no)
        fail_msg("%s: %zu overflowing, Rust has %zu", ctx, e->n_overflowing, no);
    for (size_t i = 0; i < no; i++) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s.overflowing[%zu]", ctx, i);
        check_enc(&e->overflowing[i], cJSON_GetArrayItem(over, (int)i), sub);
    }
}

/* A WordLevel + WhitespaceSplit encoding of single-letter words a..h. */
static void letters(const char *text, ia_encoding *e)
{
    static const char *const tok[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    assert_int_equal(tk_encoding_init(e, 0, &err), IA_OK);
    int word = 0;
    for (size_t i = 0; text[i]; i++) {
        if (text[i] == ' ')
            continue;
        int k = text[i] - 'a';
        ia_span sp = {(uint32_t)i, (uint32_t)i + 1};
        assert_int_equal(tk_encoding_push(e, 11 + k, tok[k], sp, 0, word++, 0, false, &err), IA_OK);
    }
}

static void ids_equal(const ia_encoding *e, const int *want, size_t n)
{
    assert_int_equal(e->n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(e->ids[i], want[i]);
}

/* --- encoding.c ------------------------------------------------------------------ */

/* Encoding.truncate on "a b c d e f g" (ids 11..17), from node. */
static void test_truncate(void **state)
{
    (void)state;
    static const struct {
        size_t len, stride;
        bool left;
        int main[7];
        size_t n_main;
        int over[6][7];
        size_t n_over, over_len[6];
    } cases[] = {
        {6, 1, false, {11, 12, 13, 14, 15, 16}, 6, {{16, 17}}, 1, {2}},
        {4, 1, false, {11, 12, 13, 14}, 4, {{14, 15, 16, 17}}, 1, {4}},
        {3, 1, false, {11, 12, 13}, 3, {{13, 14, 15}, {15, 16, 17}}, 2, {3, 3}},
        {3, 2, false, {11, 12, 13}, 3,
         {{12, 13, 14}, {13, 14, 15}, {14, 15, 16}, {15, 16, 17}}, 4, {3, 3, 3, 3}},
        {3, 0, true, {15, 16, 17}, 3, {{12, 13, 14}, {11}}, 2, {3, 1}},
        {4, 1, true, {14, 15, 16, 17}, 4, {{11, 12, 13, 14}}, 1, {4}},
        {2, 1, true, {16, 17}, 2, {{15, 16}, {14, 15}, {13, 14}, {12, 13}, {11, 12}}, 5,
         {2, 2, 2, 2, 2}},
        {0, 0, false, {0}, 0, {{11, 12, 13, 14, 15, 16, 17}}, 1, {7}},
        {7, 3, false, {11, 12, 13, 14, 15, 16, 17}, 7, {{0}}, 0, {0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ia_encoding e;
        letters("a b c d e f g", &e);
        assert_int_equal(tk_encoding_truncate(&e, cases[c].len, cases[c].stride, cases[c].left,
                                              &err),
                         IA_OK);
        ids_equal(&e, cases[c].main, cases[c].n_main);
        assert_int_equal(e.n_overflowing, cases[c].n_over);
        for (size_t i = 0; i < cases[c].n_over; i++)
            ids_equal(&e.overflowing[i], cases[c].over[i], cases[c].over_len[i]);
        ia_encoding_free(&e);
    }
    /* Rust panics on stride >= max_len; we report it. */
    ia_encoding e;
    letters("a b c", &e);
    assert_int_equal(tk_encoding_truncate(&e, 2, 2, false, &err), IA_ERR_INVALID);
    assert_non_null(strstr(err.message, "stride"));
    ia_encoding_free(&e);
}

/* mergeEncodings([A, B(, C)], false) with overflowing parts on every side
 * (node's Encoding.truncate defaults to the left). */
static void test_merge(void **state)
{
    (void)state;
    cJSON *x = cJSON_Parse(ENC_JSON);
    assert_non_null(x);
    ia_encoding a, b, c, m;
    letters("a b c d", &a);
    letters("e f g", &b);
    letters("h a b", &c);
    assert_int_equal(tk_encoding_truncate(&a, 2, 0, true, &err), IA_OK);
    assert_int_equal(tk_encoding_truncate(&b, 2, 1, true, &err), IA_OK);
    assert_int_equal(tk_encoding_truncate(&c, 2, 0, true, &err), IA_OK);
    assert_int_equal(tk_encoding_init(&m, 0, &err), IA_OK);
    assert_int_equal(tk_encoding_append(&m, &a, &err), IA_OK);
    assert_int_equal(tk_encoding_append(&m, &b, &err), IA_OK);
    check_enc(&m, get(x, "merge_ab"), "merge_ab");
    assert_int_equal(tk_encoding_append(&m, &c, &err), IA_OK);
    check_enc(&m, get(x, "merge_abc"), "merge_abc");
    ia_encoding_free(&a);
    ia_encoding_free(&b);
    ia_encoding_free(&c);
    ia_encoding_free(&m);
    cJSON_Delete(x);
}

static void test_pad(void **state)
{
    (void)state;
    cJSON *x = cJSON_Parse(ENC_JSON);
    assert_non_null(x);
    ia_encoding p, q;
    letters("a b c", &p);
    letters("a b c", &q);
    assert_int_equal(tk_encoding_truncate(&p, 2, 0, true, &err), IA_OK);
    assert_int_equal(tk_encoding_truncate(&q, 2, 0, true, &err), IA_OK);
    assert_int_equal(tk_encoding_pad(&p, 4, 7, 3, "[PAD]", true, &err), IA_OK);
    assert_int_equal(tk_encoding_pad(&q, 3, 7, 3, "[PAD]", false, &err), IA_OK);
    /* Before: padding is sequence -1, as with sequence ranges. */
    assert_int_equal(p.sequence_ids[0], -1);
    assert_int_equal(q.overflowing[0].sequence_ids[2], -1);
    /* These have no ranges (no post-processor), where Rust says 0. */
    tk_encoding_zero_pad_sequence_ids(&p);
    tk_encoding_zero_pad_sequence_ids(&q);
    check_enc(&p, get(x, "pad_left"), "pad_left");
    check_enc(&q, get(x, "pad_right"), "pad_right");
    /* Shorter targets leave it alone. */
    assert_int_equal(tk_encoding_pad(&q, 2, 7, 3, "[PAD]", false, &err), IA_OK);
    assert_int_equal(q.n, 3);
    ia_encoding_free(&p);
    ia_encoding_free(&q);
    ia_encoding_free(NULL);
    cJSON_Delete(x);
}

/* Words of text split on ' ' with byte offsets, ids from a small table. */
static void words_of(const char *text, int8_t seq, ia_encoding *e)
{
    static const struct {
        const char *s;
        int id;
    } vocab[] = {{"h\xC3\xA9llo", 30}, {"w\xC3\xB6rld\xF0\x9F\x98\x80", 31}, {"x", 32},
                 {"\xE6\x97\xA5\xE6\x9C\xAC", 33}, {"\xE8\xAA\x9E", 34}};
    assert_int_equal(tk_encoding_init(e, 0, &err), IA_OK);
    size_t i = 0, len = strlen(text);
    int word = 0;
    while (i < len) {
        if (text[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        size_t k = 0;
        while (strlen(vocab[k].s) != j - i || memcmp(vocab[k].s, text + i, j - i) != 0)
            k++;
        assert_int_equal(tk_encoding_push(e, vocab[k].id, vocab[k].s,
                                          (ia_span){(uint32_t)i, (uint32_t)j}, (uint32_t)seq,
                                          word++, seq, false, &err),
                         IA_OK);
        i = j;
    }
}

static tk_postprocessor *proc_named(const cJSON *all, const char *name)
{
    const cJSON *pj = get(get(all, "procs"), name);
    tk_postprocessor *p = NULL;
    ia_status st = tk_postprocessor_parse(&ld, pj, "post_processor", &p);
    if (st != IA_OK)
        fail_msg("parse %s: %s", name, err.message);
    return p;
}

static void test_char_offsets(void **state)
{
    (void)state;
    cJSON *x = cJSON_Parse(ENC_JSON), *all = cJSON_Parse(CASES_JSON);
    assert_non_null(x);
    assert_non_null(all);
    const char *text = "h\xC3\xA9llo  w\xC3\xB6rld\xF0\x9F\x98\x80 x";
    const char *pair = "\xE6\x97\xA5\xE6\x9C\xAC \xE8\xAA\x9E";
    ia_encoding a, b, out;
    words_of(text, 0, &a);
    words_of(pair, 1, &b);
    tk_postprocessor *p = proc_named(all, "template");
    assert_int_equal(tk_postprocessor_process(p, &a, &b, true, &out, &err), IA_OK);
    ia_encoding_char_offsets(&out, text, strlen(text), pair, strlen(pair));
    check_enc(&out, get(x, "chars"), "chars");
    ia_encoding_free(&out);
    tk_postprocessor_free(p);

    /* BytesToCharOffsetConverter's edges: an end inside a character maps
     * to that character; a start at the end is left as it is. */
    ia_encoding e;
    assert_int_equal(tk_encoding_init(&e, 4, &err), IA_OK);
    const char *t2 = "a\xC3\xA9"; /* 3 bytes, 2 characters */
    assert_int_equal(tk_encoding_push(&e, 1, "x", (ia_span){3, 3}, 0, 0, 0, false, &err), IA_OK);
    assert_int_equal(tk_encoding_push(&e, 1, "x", (ia_span){1, 3}, 0, 0, 0, false, &err), IA_OK);
    assert_int_equal(tk_encoding_push(&e, 1, "x", (ia_span){0, 2}, 0, 0, 0, false, &err), IA_OK);
    assert_int_equal(tk_encoding_push(&e, 1, "x", (ia_span){5, 9}, 0, -1, -1, true, &err),
                     IA_OK);
    ia_encoding_char_offsets(&e, t2, 3, NULL, 0);
    assert_int_equal(e.offsets[0].begin, 3);
    assert_int_equal(e.offsets[0].end, 3);
    assert_int_equal(e.offsets[1].begin, 1);
    assert_int_equal(e.offsets[1].end, 2);
    assert_int_equal(e.offsets[2].begin, 0);
    assert_int_equal(e.offsets[2].end, 1);
    assert_int_equal(e.offsets[3].begin, 5); /* sequence -1: untouched */
    ia_encoding_free(&e);
    cJSON_Delete(x);
    cJSON_Delete(all);
}

/* --- postprocessors.c ------------------------------------------------------------- */

static void test_postprocessors_vs_rust(void **state)
{
    (void)state;
    cJSON *all = cJSON_Parse(CASES_JSON);
    assert_non_null(all);
    const cJSON *cases = get(all, "cases");
    int n = cJSON_GetArraySize(cases);
    assert_true(n >= 70);
    for (int c = 0; c < n; c++) {
        const cJSON *k = cJSON_GetArrayItem(cases, c);
        const char *name = get(k, "p")->valuestring;
        bool add = cJSON_IsTrue(get(k, "add"));
        tk_postprocessor *p = proc_named(all, name);
        ia_encoding a, b, out;
        const cJSON *bj = get(k, "b");
        build_raw(get(k, "a"), 0, &a);
        if (!cJSON_IsNull(bj))
            build_raw(bj, 1, &b);
        const cJSON *tr = cJSON_GetObjectItemCaseSensitive(k, "trunc");
        if (tr) {
            int ta = (int)get(tr, "a")->valuedouble, tb = (int)get(tr, "b")->valuedouble;
            size_t stride = (size_t)get(tr, "stride")->valuedouble;
            bool left = cJSON_IsTrue(get(tr, "left"));
            if (ta >= 0)
                assert_int_equal(tk_encoding_truncate(&a, (size_t)ta, stride, left, &err), IA_OK);
            if (tb >= 0)
                assert_int_equal(tk_encoding_truncate(&b, (size_t)tb, stride, left, &err), IA_OK);
        }
        ia_status st = tk_postprocessor_process(p, &a, cJSON_IsNull(bj) ? NULL : &b, add, &out,
                                                &err);
        if (st != IA_OK)
            fail_msg("case %d (%s): %s", c, name, err.message);
        char ctx[128];
        snprintf(ctx, sizeof ctx, "case %d (%s, add %d%s)", c, name, add, tr ? ", truncated" : "");
        check_enc(&out, get(k, "expect"), ctx);
        ia_encoding_free(&out);
        tk_postprocessor_free(p);
    }
    cJSON_Delete(all);
}

static void test_added_tokens(void **state)
{
    (void)state;
    cJSON *all = cJSON_Parse(CASES_JSON);
    static const struct {
        const char *name;
        size_t single, pair;
    } want[] = {{"template", 2, 3}, {"template_multi", 2, 2}, {"bert", 2, 3},
                {"roberta", 2, 4},  {"bytelevel", 0, 0},      {"seq", 2, 3},
                {"seq_bert_bl", 2, 3}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        tk_postprocessor *p = proc_named(all, want[i].name);
        assert_int_equal(tk_postprocessor_added_tokens(p, false), want[i].single);
        assert_int_equal(tk_postprocessor_added_tokens(p, true), want[i].pair);
        tk_postprocessor_free(p);
    }
    assert_int_equal(tk_postprocessor_added_tokens(NULL, true), 0);

    /* BertProcessing as the legacy vocab.txt folder gets it (tokenizer.c). */
    tk_postprocessor *p;
    tk_load bld = {"t.json", &err};
    cJSON *bert = cJSON_Parse("{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",102],"
                              "\"cls\":[\"[CLS]\",101]}");
    assert_int_equal(tk_postprocessor_parse(&bld, bert, "post_processor", &p), IA_OK);
    cJSON_Delete(bert);
    assert_int_equal(tk_postprocessor_added_tokens(p, true), 3);
    ia_encoding a, b, out;
    letters("a b", &a);
    letters("c", &b);
    assert_int_equal(tk_postprocessor_process(p, &a, &b, true, &out, &err), IA_OK);
    static const int ids[] = {101, 11, 12, 102, 13, 102};
    static const int seq[] = {-1, 0, 0, -1, 1, -1};
    static const unsigned types[] = {0, 0, 0, 0, 1, 1};
    ids_equal(&out, ids, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(out.sequence_ids[i], seq[i]);
        assert_int_equal(out.type_ids[i], types[i]);
    }
    assert_string_equal(out.tokens[0], "[CLS]");
    ia_encoding_free(&out);
    tk_postprocessor_free(p);
    cJSON_Delete(all);
}

/* --- decoders.c -------------------------------------------------------------------- */

static char *run_decoder(const tk_decoder *d, const cJSON *tokens, const cJSON *skip)
{
    tk_strvec v = {0};
    const cJSON *t;
    cJSON_ArrayForEach(t, tokens)
    {
        bool special = false;
        const cJSON *s;
        cJSON_ArrayForEach(s, skip)
        {
            if (strcmp(s->valuestring, t->valuestring) == 0)
                special = true;
        }
        if (!special)
            assert_int_equal(tk_strvec_push(&v, t->valuestring, strlen(t->valuestring), &err),
                             IA_OK);
    }
    ia_status st = tk_decoder_decode_chain(d, &v, &err);
    if (st != IA_OK)
        fail_msg("decode: %s", err.message);
    size_t total = 1;
    for (size_t i = 0; i < v.n; i++)
        total += v.len[i];
    char *s = malloc(total);
    assert_non_null(s);
    size_t k = 0;
    for (size_t i = 0; i < v.n; i++) {
        assert_int_equal(strlen(v.s[i]), v.len[i]);
        memcpy(s + k, v.s[i], v.len[i]);
        k += v.len[i];
    }
    s[k] = '\0';
    tk_strvec_free(&v);
    return s;
}

static void test_decoders_vs_rust(void **state)
{
    (void)state;
    cJSON *all = cJSON_Parse(DEC_JSON);
    assert_non_null(all);
    int checked = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, all)
    {
        if (cJSON_GetObjectItemCaseSensitive(c, "error"))
            continue; /* Rust refuses this file; we accept it (see below) */
        tk_decoder *d = NULL;
        if (tk_decoder_parse(&ld, get(c, "dec"), "decoder", &d) != IA_OK)
            fail_msg("parse: %s", err.message);
        char *s = run_decoder(d, get(c, "tokens"), NULL);
        const char *want = get(c, "expect")->valuestring;
        if (strcmp(s, want) != 0) {
            char *j = cJSON_PrintUnformatted(get(c, "dec"));
            fail_msg("%s: got \"%s\", Rust \"%s\"", j, s, want);
        }
        free(s);
        tk_decoder_free(d);
        checked++;
    }
    assert_true(checked >= 25);
    cJSON_Delete(all);

    /* The decoders the legacy folders get (tokenizer.c). */
    tk_decoder *d;
    tk_load dld = {"t.json", &err};
    cJSON *wp = cJSON_Parse("{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}");
    assert_int_equal(tk_decoder_parse(&dld, wp, "decoder", &d), IA_OK);
    cJSON_Delete(wp);
    cJSON *toks = cJSON_Parse("[\"un\",\"##able\",\"to\",\"go\",\".\"]");
    char *s = run_decoder(d, toks, NULL);
    assert_string_equal(s, "unable to go.");
    free(s);
    cJSON_Delete(toks);
    tk_decoder_free(d);
    cJSON *bl = cJSON_Parse("{\"type\":\"ByteLevel\"}");
    assert_int_equal(tk_decoder_parse(&dld, bl, "decoder", &d), IA_OK);
    cJSON_Delete(bl);
    toks = cJSON_Parse("[\"Hi\",\"\\u0120there\"]");
    s = run_decoder(d, toks, NULL);
    assert_string_equal(s, "Hi there");
    free(s);
    cJSON_Delete(toks);
    tk_decoder_free(d);
    assert_int_equal(tk_decoder_decode_chain(NULL, NULL, &err), IA_OK);
}

/* The four fixture tokenizers' decoders on their cases' tokens, special
 * tokens skipped, give cases.json's "decoded" (made with
 * skip_special_tokens=True: llama's byte tokens are special there). */
static void test_decoders_fixtures(void **state)
{
    (void)state;
    const char *dir = getenv("IA_FIXTURES");
    assert_non_null(dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/tokenizers/cases.json", dir);
    char *text;
    assert_int_equal(ia_file_read_all(path, 1 << 26, &text, NULL, &err), IA_OK);
    cJSON *cases = cJSON_Parse(text);
    free(text);
    assert_non_null(cases);
    const char *names[] = {"wordpiece", "bytelevel_bpe", "llama_bpe", "unigram"};
    for (size_t f = 0; f < 4; f++) {
        snprintf(path, sizeof path, "%s/tokenizers/%s.json", dir, names[f]);
        assert_int_equal(ia_file_read_all(path, 1 << 26, &text, NULL, &err), IA_OK);
        cJSON *tj = cJSON_Parse(text);
        free(text);
        assert_non_null(tj);
        tk_decoder *d = NULL;
        assert_int_equal(tk_decoder_parse(&ld, get(tj, "decoder"), "decoder", &d), IA_OK);
        cJSON *skip = cJSON_CreateArray();
        const cJSON *a;
        cJSON_ArrayForEach(a, get(tj, "added_tokens"))
        {
            if (cJSON_IsTrue(get(a, "special")))
                cJSON_AddItemToArray(skip, cJSON_CreateString(get(a, "content")->valuestring));
        }
        /* id -> token as Rust's decode does (unknown pieces are the unk
         * token there, not the text the encoding shows). */
        cJSON *by_id = cJSON_CreateObject();
        const cJSON *vocab = get(get(tj, "model"), "vocab"), *e;
        int index = 0;
        cJSON_ArrayForEach(e, vocab)
        {
            char key[16];
            const char *tok = cJSON_IsArray(e) ? cJSON_GetArrayItem(e, 0)->valuestring : e->string;
            snprintf(key, sizeof key, "%d", cJSON_IsArray(e) ? index : (int)e->valuedouble);
            cJSON_AddItemToObject(by_id, key, cJSON_CreateString(tok));
            index++;
        }
        cJSON_ArrayForEach(a, get(tj, "added_tokens"))
        {
            char key[16];
            snprintf(key, sizeof key, "%d", (int)get(a, "id")->valuedouble);
            cJSON_DeleteItemFromObjectCaseSensitive(by_id, key);
            cJSON_AddItemToObject(by_id, key, cJSON_CreateString(get(a, "content")->valuestring));
        }
        const cJSON *c;
        int n = 0;
        cJSON_ArrayForEach(c, get(cases, names[f]))
        {
            cJSON *toks = cJSON_CreateArray();
            const cJSON *id;
            cJSON_ArrayForEach(id, get(c, "ids"))
            {
                char key[16];
                snprintf(key, sizeof key, "%d", (int)id->valuedouble);
                cJSON_AddItemToArray(toks, cJSON_CreateString(get(by_id, key)->valuestring));
            }
            char *s = run_decoder(d, toks, skip);
            cJSON_Delete(toks);
            const char *want = get(c, "decoded")->valuestring;
            if (strcmp(s, want) != 0)
                fail_msg("%s %s: got \"%s\", want \"%s\"", names[f],
                         get(c, "text")->valuestring, s, want);
            free(s);
            n++;
        }
        assert_int_equal(n, 19);
        cJSON_Delete(by_id);
        cJSON_Delete(skip);
        tk_decoder_free(d);
        cJSON_Delete(tj);
    }
    cJSON_Delete(cases);
}

/* --- bad files ---------------------------------------------------------------------- */

static void expect_pp_error(const char *json, const char *a, const char *b)
{
    cJSON *v = cJSON_Parse(json);
    assert_non_null(v);
    tk_postprocessor *p = (tk_postprocessor *)1;
    ia_status st = tk_postprocessor_parse(&ld, v, "post_processor", &p);
    if (st == IA_OK)
        fail_msg("accepted %s", json);
    assert_null(p);
    if (!strstr(err.message, a) || (b && !strstr(err.message, b)))
        fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err.message, a, b ? b : "");
    cJSON_Delete(v);
}

static void expect_dec_error(const char *json, const char *a, const char *b)
{
    cJSON *v = cJSON_Parse(json);
    assert_non_null(v);
    tk_decoder *d = (tk_decoder *)1;
    ia_status st = tk_decoder_parse(&ld, v, "decoder", &d);
    if (st == IA_OK)
        fail_msg("accepted %s", json);
    assert_null(d);
    if (!strstr(err.message, a) || (b && !strstr(err.message, b)))
        fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err.message, a, b ? b : "");
    cJSON_Delete(v);
}

static void test_bad_json(void **state)
{
    (void)state;
    expect_pp_error("{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":"
                    "{\"id\":\"[CLS]\",\"type_id\":0}},5],\"pair\":[],\"special_tokens\":"
                    "{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[1],\"tokens\":[\"[CLS]\"]}}}",
                    "tokenizer.json: at post_processor.single[1]", "Sequence");
    expect_pp_error("{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":"
                    "{\"id\":\"[X]\",\"type_id\":0}}],\"pair\":[],\"special_tokens\":{}}",
                    "post_processor.single[0].SpecialToken.id", "[X]");
    expect_pp_error("{\"type\":\"TemplateProcessing\",\"single\":[{\"Sequence\":{\"id\":\"C\","
                    "\"type_id\":0}}],\"pair\":[],\"special_tokens\":{}}",
                    "post_processor.single[0].Sequence.id", "\"C\"");
    expect_pp_error("{\"type\":\"TemplateProcessing\",\"single\":[],\"pair\":"
                    "[{\"Sequence\":{\"id\":\"A\",\"type_id\":-1}}],\"special_tokens\":{}}",
                    "post_processor.pair[0].Sequence.type_id", NULL);
    expect_pp_error("{\"type\":\"TemplateProcessing\",\"single\":[],\"pair\":[],\"special_tokens\":"
                    "{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[1,2],\"tokens\":[\"[CLS]\"]}}}",
                    "post_processor.special_tokens.[CLS]", "must match");
    expect_pp_error("{\"type\":\"TemplateProcessing\",\"single\":[],\"pair\":[]}",
                    "post_processor", "special_tokens");
    expect_pp_error("{\"type\":\"Foo\"}", "post_processor.type", "'Foo'");
    expect_pp_error("{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\"],\"cls\":[\"[CLS]\",101]}",
                    "post_processor.sep", NULL);
    expect_pp_error("{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",-4]}",
                    "post_processor.cls", NULL);
    expect_pp_error("{\"type\":\"Sequence\",\"processors\":[{\"type\":\"ByteLevel\"},{\"type\":"
                    "\"Nope\"}]}",
                    "post_processor.processors[1].type", "'Nope'");
    expect_pp_error("{\"type\":\"ByteLevel\",\"trim_offsets\":3}", "post_processor.trim_offsets",
                    NULL);
    expect_pp_error("[1]", "post_processor", "object");

    expect_dec_error("{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"ByteLevel\"},{\"type\":"
                     "\"Zap\"}]}",
                     "decoder.decoders[1].type", "'Zap'");
    expect_dec_error("{\"type\":\"Strip\",\"content\":\"ab\",\"start\":1,\"stop\":0}",
                     "decoder.content", "single character");
    expect_dec_error("{\"type\":\"Strip\",\"content\":\"a\",\"start\":1}", "decoder", "stop");
    expect_dec_error("{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"(a\"},\"content\":\"x\"}",
                     "decoder.pattern", NULL);
    expect_dec_error("{\"type\":\"Replace\",\"pattern\":{\"Other\":\"a\"},\"content\":\"x\"}",
                     "decoder.pattern", "String");
    expect_dec_error("{\"type\":\"Metaspace\",\"replacement\":\"_\","
                     "\"prepend_scheme\":\"sometimes\"}",
                     "decoder.prepend_scheme", "sometimes");
    expect_dec_error("{\"type\":\"WordPiece\",\"prefix\":7}", "decoder.prefix", NULL);
    expect_dec_error("{\"nope\":1}", "decoder", "type");

    /* null: no component. */
    cJSON *nul = cJSON_CreateNull();
    tk_postprocessor *p = (tk_postprocessor *)1;
    tk_decoder *d = (tk_decoder *)1;
    assert_int_equal(tk_postprocessor_parse(&ld, nul, "post_processor", &p), IA_OK);
    assert_int_equal(tk_decoder_parse(&ld, nul, "decoder", &d), IA_OK);
    assert_null(p);
    assert_null(d);
    cJSON_Delete(nul);

    /* A single-text template that names B cannot process. */
    cJSON *v = cJSON_Parse("{\"type\":\"TemplateProcessing\",\"single\":[{\"Sequence\":"
                           "{\"id\":\"B\",\"type_id\":0}}],\"pair\":[],\"special_tokens\":{}}");
    assert_int_equal(tk_postprocessor_parse(&ld, v, "post_processor", &p), IA_OK);
    ia_encoding a, out;
    letters("a", &a);
    assert_int_equal(tk_postprocessor_process(p, &a, NULL, true, &out, &err), IA_ERR_INVALID);
    assert_int_equal(a.n, 0); /* consumed */
    tk_postprocessor_free(p);
    cJSON_Delete(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_pad),
        cmocka_unit_test(test_char_offsets),
        cmocka_unit_test(test_postprocessors_vs_rust),
        cmocka_unit_test(test_added_tokens),
        cmocka_unit_test(test_decoders_vs_rust),
        cmocka_unit_test(test_decoders_fixtures),
        cmocka_unit_test(test_bad_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
