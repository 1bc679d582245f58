# KLayout batch check of an ohmnet masks.gds (issue 15, C10): KLayout reads the file and, independently of ohmnet's
# own reader,
#   1. recomputes every resistance from the drawn geometry: a planar resistor from its body path on the body layer
#      (centre-line length L, width w, square corners c: R = Rs (L / w - 0.44 c) + 2 Rhead), a hole resistor from its
#      polygon on the hole layer (diameter d = its bounding box's width: R = rho t / (pi d^2 / 4)), named by the label
#      on the marker (hole) layer inside it;
#   2. runs a DRC deck of the process's rules: minimum width and spacing of the body (hole), strap and bus layers,
#      the implants' width, spacing and enclosure of the resistor bodies;
#   3. extracts the connectivity of one neuron (its op-amp cell and resistor-array cell, flattened) with
#      RBA::LayoutToNetlist: head poly (body minus marker) - contact - strap - via - bus, nets named by the bus labels;
#      and probes each resistor's two terminals for their nets.
# Usage: klayout -b -r scripts/klayout/check.rb -rd dir=OUT_DIR [-rd neuron=0] [-rd out=check.json]
#   OUT_DIR holds masks.gds and process.json (written by `ohmnet compile --masks`). The result is JSON (stdout, or
#   the file `out`): {"dbuUm", "resistors": [{"cell", "name", "ohm"}], "drc": [{"rule", "layer", "valueUm",
#   "violations"}], "neuron": {"index", "terminals": {"R0p0": ["in0", "n0p"], ...}, "instances": {...}}}.

require 'json'

dir = $dir or raise 'pass -rd dir=OUT_DIR'
proc_ = JSON.parse(File.read(File.join(dir, 'process.json')))
ly = RBA::Layout.new
ly.read(File.join(dir, 'masks.gds'))
dbu_um = (ly.dbu * 1e9).round / 1e9
grid = (proc_['gridUm'] / dbu_um).round
lay = ->(l) { ly.layer(l['layer'], l['datatype']) }
planar = proc_['kind'] == 'planar'

# 1. Resistances from geometry: the bodies in each resistor array, drawn in it or (ohmnet's files) in the device cells
#    it references, one per drawn shape, each placed by its instance's transformation.
resistors = []
label_layer = planar ? lay.(proc_['marker']) : lay.(proc_['hole'])
body_layer = planar ? lay.(proc_['body']) : lay.(proc_['hole'])
ly.each_cell do |cell|
  next unless cell.name.start_with?('RA')
  labels = []
  cell.shapes(label_layer).each { |s| labels << s.text if s.is_text? }
  bodies = []
  cell.shapes(body_layer).each { |s| bodies << [s, RBA::Trans.new] }
  cell.each_inst do |inst|
    dev = inst.cell
    next unless dev.name =~ /^[DH]\d/
    dev.shapes(body_layer).each { |s| bodies << [s, inst.trans] }
  end
  bodies.each do |s, tr|
    if planar
      next unless s.is_path?
      path = s.path
      pts = path.each_point.to_a
      length = 0.0
      pts.each_cons(2) { |a, b| length += Math.sqrt((b.x - a.x)**2 + (b.y - a.y)**2) }
      corners = pts.size - 2
      ohm = proc_['sheetOhmPerSq'] * (length / path.width - 0.44 * corners) + 2 * proc_['headOhm']
      box = path.bbox.transformed(tr)
    else
      next unless s.is_polygon? || s.is_box?
      box = s.bbox.transformed(tr)
      d = box.width * dbu_um * 1e-6
      ohm = proc_['resistivityOhmM'] * proc_['thicknessM'] / (Math::PI * d * d / 4)
    end
    label = labels.find { |t| box.contains?(RBA::Point.new(t.x, t.y)) }
    resistors << { 'cell' => cell.name, 'name' => label ? label.string : nil, 'ohm' => ohm }
  end
end

# 2. DRC, per neuron: the width and spacing rules of the body (hole), strap and bus layers and the implants' spacing
#    and enclosure of the resistor bodies, checked inside each neuron's two cells (its op-amps and its resistor array,
#    merged); and between neurons, the slots' bounding boxes (both cells) must be apart by more than the largest rule,
#    so no rule can be broken across two neurons. Per neuron keeps a network of thousands of neurons fast.
to_dbu = ->(um) { (um / dbu_um).round }
rules = [['strap', proc_['strap']], ['bus', proc_['bus']]]
rules.unshift(planar ? ['body', proc_['body']] : ['hole', proc_['hole']])
drc = {}
count = lambda do |rule, name, value, n|
  key = "#{rule} #{name}"
  drc[key] ||= { 'rule' => rule, 'layer' => name, 'valueUm' => value, 'violations' => 0 }
  drc[key]['violations'] += n
end
slots = RBA::Region.new
max_rule = rules.map { |_, l| [l['minWidthUm'], l['minSpacingUm']].max }.max
max_rule = [max_rule, *proc_['implants'].map { |im| im['minSpacingUm'] }].max if planar
ly.each_cell do |cell|
  next unless cell.name =~ /^RA(\d+)$/
  neuron_cell = ly.cell("N#{$1}")
  region = lambda do |l|
    r = RBA::Region.new(cell.begin_shapes_rec(lay.(l)))
    r.insert(neuron_cell.begin_shapes_rec(lay.(l))) if neuron_cell
    r.merged
  end
  rules.each do |name, l|
    r = region.(l)
    # A hole is a polygon approximating a circle: its width is its diameter, measured by projection (the euclidian
    # metric flags the chord between edges a quarter turn apart, r sqrt 2, on every circle).
    metric = name == 'hole' ? RBA::Region::Projection : RBA::Region::Euclidian
    count.('width', name, l['minWidthUm'], r.width_check(to_dbu.(l['minWidthUm']), false, metric).size)
    count.('spacing', name, l['minSpacingUm'], r.space_check(to_dbu.(l['minSpacingUm'])).size)
  end
  if planar
    bodies = region.(proc_['body']) & region.(proc_['marker'])
    proc_['implants'].each_with_index do |im, k|
      r = region.(im)
      count.('spacing', "implant#{k}", im['minSpacingUm'], r.space_check(to_dbu.(im['minSpacingUm'])).size)
      count.('enclosure', "implant#{k}", im['enclosureUm'], r.enclosing_check(bodies, to_dbu.(im['enclosureUm'])).size + (bodies - r).size)
    end
  end
  box = cell.bbox
  box += neuron_cell.bbox if neuron_cell
  slots.insert(box)
end
# The slots in the top cell: each neuron's two cells are placed at the same origin.
top = ly.top_cell
placed = RBA::Region.new
top.each_inst do |inst|
  next unless inst.cell.name =~ /^RA(\d+)$/
  c = inst.cell
  n = ly.cell("N#{$1}")
  box = c.bbox
  box += n.bbox if n
  placed.insert(box.transformed(inst.trans))
end
count.('separation', 'slots', max_rule, placed.merged.size == placed.size ? placed.space_check(to_dbu.(max_rule)).size : placed.size - placed.merged.size)
drc = drc.values

# 3. One neuron's connectivity: its two cells flattened into a cell of their own, then extracted.
index = ($neuron || '0').to_i
check = ly.create_cell('OHMNET_CHECK')
ra = ly.cell("RA#{index}") or raise "no cell RA#{index}"
check.insert(RBA::CellInstArray.new(ra.cell_index, RBA::Trans.new))
if (nc = ly.cell("N#{index}"))
  check.insert(RBA::CellInstArray.new(nc.cell_index, RBA::Trans.new))
else
  # Masks drawn with a module library: the op-amps are in the module cells (M<hash>), placed at their module's origin;
  # they go into the check cell at their offset from the neuron's resistor array (the op-amp labels are in RA<i>).
  ra_at = nil
  top.each_inst { |inst| ra_at = inst.trans.disp if inst.cell.name == "RA#{index}" }
  top.each_inst do |inst|
    next unless inst.cell.name =~ /^M[0-9a-f]{16}/
    check.insert(RBA::CellInstArray.new(inst.cell.cell_index, RBA::Trans.new(inst.trans.disp - ra_at)))
  end
end
check.flatten(-1, true)
l2n = RBA::LayoutToNetlist.new(RBA::RecursiveShapeIterator.new(ly, check, []))
strap = l2n.make_polygon_layer(lay.(proc_['strap']), 'strap')
via = l2n.make_polygon_layer(lay.(proc_['via']), 'via')
bus = l2n.make_polygon_layer(lay.(proc_['bus']), 'bus')
labels = l2n.make_text_layer(lay.(proc_['bus']), 'labels')
l2n.connect(strap)
l2n.connect(via)
l2n.connect(bus)
l2n.connect(strap, via)
l2n.connect(via, bus)
l2n.connect(bus, labels)
if planar
  poly = l2n.make_polygon_layer(lay.(proc_['body']), 'poly')
  marker = l2n.make_polygon_layer(lay.(proc_['marker']), 'marker')
  contact = l2n.make_polygon_layer(lay.(proc_['contact']), 'contact')
  heads = poly - marker
  l2n.register(heads, 'heads')
  l2n.connect(heads)
  l2n.connect(contact)
  l2n.connect(heads, contact)
  l2n.connect(contact, strap)
end
l2n.extract_netlist
net_at = lambda do |layer, x, y|
  n = l2n.probe_net(layer, RBA::DPoint.new(x * dbu_um, y * dbu_um))
  n ? n.name : nil
end
terminals = {}
head_um = planar ? proc_['headLengthUm'] : 0
check.shapes(planar ? lay.(proc_['marker']) : lay.(proc_['hole'])).each do |t|
  next unless t.is_text?
  tx = t.text
  if planar
    path = nil
    check.shapes(lay.(proc_['body'])).each { |s| path = s.path if s.is_path? && s.path.bbox.contains?(RBA::Point.new(tx.x, tx.y)) }
    next unless path
    pts = path.each_point.to_a
    h = to_dbu.(head_um) / 2
    terminals[tx.string] = [net_at.(heads, pts.first.x, pts.first.y - h), net_at.(heads, pts.last.x, pts.last.y - h)]
  else
    terminals[tx.string] = [net_at.(strap, tx.x, tx.y), net_at.(bus, tx.x, tx.y)]
  end
end
# Op-amp pins: the pin squares of the placeholders (strap layer, named pin0.. on the outline layer) by instance label.
instances = {}
outline = lay.(proc_['outline'])
check.shapes(outline).each do |t|
  next unless t.is_text? && t.text.string !~ /^pin\d+$/
  box = nil
  check.shapes(outline).each { |s| box = s.bbox if (s.is_box? || s.is_polygon?) && s.bbox.contains?(RBA::Point.new(t.text.x, t.text.y)) }
  next unless box
  pins = []
  check.shapes(outline).each do |p|
    next unless p.is_text? && p.text.string =~ /^pin(\d+)$/ && box.contains?(RBA::Point.new(p.text.x, p.text.y))
    pins[$1.to_i] = net_at.(strap, p.text.x, p.text.y)
  end
  instances[t.text.string] = pins
end

result = { 'dbuUm' => dbu_um, 'resistors' => resistors, 'drc' => drc, 'neuron' => { 'index' => index, 'terminals' => terminals, 'instances' => instances } }
text = JSON.generate(result)
if $out
  File.write($out, text)
else
  puts text
end
