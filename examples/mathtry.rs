fn main() {
    for f in std::env::args().skip(1) {
        println!(
            "{f}\n => {:?}\n",
            conceptlab::render::math::to_mathml(&f, true)
        );
    }
}
