;; The inner loops of the matrix product in WebAssembly SIMD (f64x2),
;; assembled into gemm.wasm at build time (scripts/build-wasm.mjs, wabt).
;; Packing and the outer loops stay in TypeScript (kernels/gemm-wasm.ts).
;;
;; Memory holds, at byte offsets the caller chooses:
;;   C  a padded row-major block of mp x np doubles (ldc = np), both
;;      multiples of the 4 x 4 tile, so every tile is whole and no edge case
;;      exists here (padding rows and columns are computed and thrown away);
;;   Ap MC rows of A packed in panels of 4 rows, each panel 4 doubles per k;
;;   Bp np columns of B packed in panels of 4 columns, 4 doubles per k.
;;
;; One 4 x 4 tile of C lives in 8 v128 registers (two per row) for the whole
;; k loop: per k, 2 loads of B, 4 splat loads of A, 8 multiplies and 8 adds
;; (32 flops). V8 has 16 xmm registers, so 8 accumulators + 2 B + 1 A fit
;; without spilling. Relaxed SIMD's fused multiply-add (f64x2.relaxed_madd)
;; measured 17 against 14 GFLOP/s here, but Node 20 ships it only behind
;; --experimental-wasm-relaxed-simd; worth a second module once Node 22
;; (relaxed SIMD on by default) is the floor.
(module
  (memory (export "memory") 1)

  ;; C[ip.., jp..] += Ap panel (at $a) x Bp panel (at $b) over $kc steps.
  (func $tile (param $a i32) (param $b i32) (param $c i32) (param $kc i32) (param $ldc i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $end i32) (local $row i32)
    (local.set $c0 (v128.const f64x2 0 0)) (local.set $c1 (v128.const f64x2 0 0))
    (local.set $c2 (v128.const f64x2 0 0)) (local.set $c3 (v128.const f64x2 0 0))
    (local.set $c4 (v128.const f64x2 0 0)) (local.set $c5 (v128.const f64x2 0 0))
    (local.set $c6 (v128.const f64x2 0 0)) (local.set $c7 (v128.const f64x2 0 0))
    ;; $end: where the A panel ends (32 bytes per k).
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $kc) (i32.const 5))))
    (if (i32.gt_u (local.get $kc) (i32.const 0))
      (then
        (loop $k
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load64_splat (local.get $a)))
          (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=8 (local.get $a)))
          (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=16 (local.get $a)))
          (local.set $c4 (f64x2.add (local.get $c4) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c5 (f64x2.add (local.get $c5) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=24 (local.get $a)))
          (local.set $c6 (f64x2.add (local.get $c6) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c7 (f64x2.add (local.get $c7) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $a (i32.add (local.get $a) (i32.const 32)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (br_if $k (i32.lt_u (local.get $a) (local.get $end))))))
    ;; Add the tile into C, one row (two v128) at a time; $row = 8 * ldc bytes.
    (local.set $row (i32.shl (local.get $ldc) (i32.const 3)))
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c0)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c1)))
    (local.set $c (i32.add (local.get $c) (local.get $row)))
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c2)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c3)))
    (local.set $c (i32.add (local.get $c) (local.get $row)))
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c4)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c5)))
    (local.set $c (i32.add (local.get $c) (local.get $row)))
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c6)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c7))))

  ;; C rows [r0, r0 + mc) += packed A (mc rows, mc a multiple of 4) x packed
  ;; B (np columns, a multiple of 4), both kc deep. Loops: B panels outside
  ;; (one 4-column panel, 32·kc bytes, stays in L1), A panels inside.
  (func (export "block") (param $ap i32) (param $bp i32) (param $c i32) (param $r0 i32)
        (param $mc i32) (param $np i32) (param $kc i32)
    (local $jp i32) (local $ip i32) (local $panel i32) (local $crow i32)
    ;; $panel: bytes of one packed panel (4 doubles per k).
    (local.set $panel (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $jp (i32.const 0))
    (block $done_j
      (loop $j
        (br_if $done_j (i32.ge_u (local.get $jp) (local.get $np)))
        (local.set $ip (i32.const 0))
        (block $done_i
          (loop $i
            (br_if $done_i (i32.ge_u (local.get $ip) (local.get $mc)))
            ;; C offset of tile (r0 + ip, jp): ((r0 + ip) * np + jp) * 8.
            (local.set $crow (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (i32.add (local.get $r0) (local.get $ip)) (local.get $np)) (local.get $jp)) (i32.const 3))))
            (call $tile
              (i32.add (local.get $ap) (i32.mul (i32.shr_u (local.get $ip) (i32.const 2)) (local.get $panel)))
              (i32.add (local.get $bp) (i32.mul (i32.shr_u (local.get $jp) (i32.const 2)) (local.get $panel)))
              (local.get $crow) (local.get $kc) (local.get $np))
            (local.set $ip (i32.add (local.get $ip) (i32.const 4)))
            (br $i)))
        (local.set $jp (i32.add (local.get $jp) (i32.const 4)))
        (br $j)))))
