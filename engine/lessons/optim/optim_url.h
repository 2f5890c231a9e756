// The optimizer lesson's deep-link fields. Keys are a public contract:
//   preset=valley|rosenbrock|saddle|minibatch|adagrad|too_large|large
//                         applied first; the fields below override it (default valley)
//   surface=quadratic|rosenbrock|beale|himmelblau|saddle|regression
//   a= b= c=              quadratic;  p= q=   rosenbrock (numbers within ±10⁶)
//   start=x,y             the start point
//   steps=<1..10000>      updates;  ema=<[0, 1)>  Polyak averaging with this decay (absent: off)
//   o1=…o4=sgd|adagrad|rmsprop|adam|adamw     the racing optimizers, in order
//   oK.conv=torch|keras   its convention (default torch)
//   oK.<key>=<number>     a hyperparameter (optim_keys: lr, momentum, dampening, nesterov,
//                         weight_decay, lr_decay, initial_accumulator_value, alpha, centered,
//                         beta1, beta2, eps, amsgrad; booleans 0|1; Keras aliases rho,
//                         beta_1, beta_2, epsilon); absent keys take the convention's default
//   oK.hide=1             hidden (computed, not stepped or drawn)
//   regression: n=<1..10000>&data_seed=<n> (a generated set) or pts=x,y,x,y,… (up to 300
//   hand-edited points); batch=<1..n> (default n), shuffle=0|1, seed=<n> (batch order)
//   level=op|update|epoch|run   step=<n>
// Each invalid field is named in the returned message and takes its default;
// the others still apply. An invalid optimizer name falls back to sgd.
#pragma once
#include <string>

#include "optim_lesson.h"
#include "url_state.h"

namespace sw {

constexpr int kOptimMaxUrlPoints = 300;

std::string optim_apply_url(OptimLesson& lesson, const UrlParams& params, UrlParams* unused);
std::string optim_url(const OptimLesson& lesson);
// "" or why the link leaves the hand-edited points out (more than 300).
std::string optim_link_note(const OptimLesson& lesson);

}  // namespace sw
