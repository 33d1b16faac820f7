/* TEMPORARY while the misc ops are written: delete this file when they land. */
#include "engine/engine_internal.h"

ia_status ia_check_add(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_add(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_add(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_mul(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_mul(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_mul(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_scale(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_scale(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_scale(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_layer_norm(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_layer_norm(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_layer_norm(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_rms_norm(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_rms_norm(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_rms_norm(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_group_norm(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_group_norm(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_group_norm(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_softmax(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_softmax(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_softmax(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_activation(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_activation(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_activation(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_rope(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_rope(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_rope(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_embedding(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_embedding(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_embedding(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_copy(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_copy(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_copy(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_concat(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_concat(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_concat(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
ia_status ia_check_pad(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_ref_pad(const ia_op *op, ia_error *err) { return ia_check_fail(op, err, "not written yet"); }
ia_status ia_cpu_pad(ia_cpu_ctx *cpu, const ia_op *op, ia_error *err) { (void)cpu; return ia_check_fail(op, err, "not written yet"); }
