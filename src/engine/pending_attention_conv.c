/* TEMPORARY while the attention_conv ops are written: delete this file when they land. */
#include "engine/engine_internal.h"

ia_status ia_check_attention(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_attention(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_attention(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_conv1d(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_conv1d(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_conv1d(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_conv2d(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_conv2d(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_conv2d(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
